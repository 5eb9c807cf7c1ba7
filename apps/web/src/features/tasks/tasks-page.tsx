import { Card } from '../../components/ui/card'
import { PageHeading } from '../../components/ui/page-heading'
import { TaskCreateForm } from './task-create-form'
import { TaskList } from './task-list'

export function TasksPage() {
  return (
    <div className="space-y-6">
      <PageHeading>Your tasks</PageHeading>
      <Card title="New task">
        <TaskCreateForm />
      </Card>
      <TaskList />
    </div>
  )
}
