import { useMutation, useQueryClient } from '@tanstack/react-query'
import { authClient, unwrap } from '../../lib/auth-client'
import { appUrl } from '../../lib/env'
import { adoptNewSession } from '../../lib/session'

const RESET_EMAIL_KEY = 'tandem.reset-email'

export function useSignIn() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: { email: string; password: string; rememberMe: boolean }) =>
      unwrap(authClient.signIn.email(input)),
    onSuccess: () => adoptNewSession(queryClient),
  })
}

/** Resolves to `{ signedIn: false }` when the server wants the email verified first. */
export function useSignUp() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (input: { name: string; email: string; password: string }) => {
      const result = await unwrap(
        authClient.signUp.email({ ...input, callbackURL: appUrl('/verify-email') }),
      )
      return { signedIn: Boolean(result?.token) }
    },
    onSuccess: async ({ signedIn }) => {
      if (signedIn) await adoptNewSession(queryClient)
    },
  })
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: async (email: string) => {
      await unwrap(
        authClient.requestPasswordReset({ email, redirectTo: appUrl('/reset-password') }),
      )
      // The reset page signs the user in afterwards and needs the address for that.
      localStorage.setItem(RESET_EMAIL_KEY, email)
    },
  })
}

export function rememberedResetEmail(): string {
  return localStorage.getItem(RESET_EMAIL_KEY) ?? ''
}

/** Sets the new password, then signs in with it (the reset itself does not create a session). */
export function useResetPassword() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (input: { token: string; email: string; newPassword: string }) => {
      await unwrap(authClient.resetPassword({ token: input.token, newPassword: input.newPassword }))
      localStorage.removeItem(RESET_EMAIL_KEY)
      await unwrap(authClient.signIn.email({ email: input.email, password: input.newPassword }))
    },
    onSuccess: () => adoptNewSession(queryClient),
  })
}

export function useSendVerificationEmail() {
  return useMutation({
    mutationFn: (email: string) =>
      unwrap(authClient.sendVerificationEmail({ email, callbackURL: appUrl('/verify-email') })),
  })
}
