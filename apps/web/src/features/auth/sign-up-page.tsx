import { getRouteApi, useRouter } from '@tanstack/react-router'
import { type FormEvent, useState } from 'react'
import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { TextField } from '../../components/ui/text-field'
import type { FieldErrors } from '../../lib/errors'
import { splitAuthError } from './auth-errors'
import { AuthLayout } from './auth-layout'
import { AuthLink } from './auth-link'
import { SocialButtons } from './social-buttons'
import { useSignUp } from './use-auth-mutations'
import { VerificationNotice } from './verification-notice'

const route = getRouteApi('/sign-up')
const MIN_PASSWORD = 8

export function SignUpPage() {
  const search = route.useSearch()
  const router = useRouter()
  const signUp = useSignUp()
  const [ownErrors, setOwnErrors] = useState<FieldErrors>({})
  const [email, setEmail] = useState('')
  const target = search.redirect ?? '/tasks'
  const serverErrors = splitAuthError(signUp.error)
  const fields = { ...serverErrors.fields, ...ownErrors }

  if (signUp.data && !signUp.data.signedIn) {
    return (
      <AuthLayout title="Check your inbox">
        <VerificationNotice email={email} />
        <AuthLink to="/sign-in">Go to sign in</AuthLink>
      </AuthLayout>
    )
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const input = {
      name: String(data.get('name') ?? ''),
      email: String(data.get('email') ?? ''),
      password: String(data.get('password') ?? ''),
    }
    const problems: FieldErrors = {}
    if (!input.name.trim()) problems.name = ['Enter your name.']
    if (!input.email.includes('@')) problems.email = ['Enter a valid email address.']
    if (input.password.length < MIN_PASSWORD) {
      problems.password = [`Use at least ${MIN_PASSWORD} characters.`]
    }
    setOwnErrors(problems)
    if (Object.keys(problems).length) return
    setEmail(input.email)
    signUp.mutate(input, {
      onSuccess: ({ signedIn }) => {
        if (signedIn) router.history.push(target)
      },
    })
  }

  return (
    <AuthLayout title="Create an account">
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <TextField label="Name" name="name" autoComplete="name" required errors={fields.name} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          errors={fields.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${MIN_PASSWORD} characters.`}
          errors={fields.password}
        />
        {serverErrors.form ? <Alert tone="error">{serverErrors.form}</Alert> : null}
        <Button type="submit" className="w-full" pending={signUp.isPending}>
          Create account
        </Button>
      </form>
      <SocialButtons redirect={target} />
      <p className="text-center text-sm">
        Already have an account?{' '}
        <AuthLink to="/sign-in" search={{ redirect: search.redirect }}>
          Sign in
        </AuthLink>
      </p>
    </AuthLayout>
  )
}
