import { Card } from '../../components/ui/card'
import { PageHeading } from '../../components/ui/page-heading'
import { VerificationBanner } from '../auth/verification-banner'
import { TaskCreateForm } from './task-create-form'
import { TaskList } from './task-list'

export function TasksPage() {
  return (
    <div className="space-y-6">
      <PageHeading>Your tasks</PageHeading>
      <VerificationBanner />
      <Card title="New task">
        <TaskCreateForm />
      </Card>
      <TaskList />
    </div>
  )
}
