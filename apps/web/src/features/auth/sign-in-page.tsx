import { getRouteApi, useRouter } from '@tanstack/react-router'
import { type FormEvent, useState } from 'react'
import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { CheckboxField } from '../../components/ui/checkbox-field'
import { TextField } from '../../components/ui/text-field'
import { AuthError } from '../../lib/errors'
import { splitAuthError } from './auth-errors'
import { AuthLayout } from './auth-layout'
import { AuthLink } from './auth-link'
import { SocialButtons } from './social-buttons'
import { useSignIn } from './use-auth-mutations'
import { VerificationNotice } from './verification-notice'

const route = getRouteApi('/sign-in')

export function SignInPage() {
  const search = route.useSearch()
  const router = useRouter()
  const signIn = useSignIn()
  const [email, setEmail] = useState('')
  const target = search.redirect ?? '/tasks'
  const needsVerification =
    signIn.error instanceof AuthError && signIn.error.code === 'EMAIL_NOT_VERIFIED'
  const errors = splitAuthError(needsVerification ? null : signIn.error)

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const input = {
      email: String(data.get('email') ?? ''),
      password: String(data.get('password') ?? ''),
      rememberMe: data.get('rememberMe') === 'on',
    }
    setEmail(input.email)
    signIn.mutate(input, { onSuccess: () => router.history.push(target) })
  }

  return (
    <AuthLayout title="Sign in">
      {search.error ? (
        <Alert tone="error" title="Sign-in with that provider failed">
          The provider reported: {search.error}
        </Alert>
      ) : null}
      {needsVerification ? <VerificationNotice email={email} /> : null}
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          errors={errors.fields.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={errors.fields.password}
        />
        <div className="flex items-center justify-between text-sm">
          <CheckboxField label="Remember me" name="rememberMe" defaultChecked />
          <AuthLink to="/forgot-password">Forgot password?</AuthLink>
        </div>
        {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
        <Button type="submit" className="w-full" pending={signIn.isPending}>
          Sign in
        </Button>
      </form>
      <SocialButtons redirect={target} />
      <p className="text-center text-sm">
        New here?{' '}
        <AuthLink to="/sign-up" search={{ redirect: search.redirect }}>
          Create an account
        </AuthLink>
      </p>
    </AuthLayout>
  )
}
