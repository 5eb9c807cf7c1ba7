import { useMutation } from '@tanstack/react-query'
import { Button } from '../../components/ui/button'
import { authClient, unwrap } from '../../lib/auth-client'
import { appUrl } from '../../lib/env'
import { messageOf } from '../../lib/errors'
import { toast } from '../../lib/toast'
import { useAuthProviders } from './use-auth-providers'

const NAMES: Record<string, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  google: 'Google',
  microsoft: 'Microsoft',
  apple: 'Apple',
  discord: 'Discord',
}

function providerName(id: string): string {
  return NAMES[id] ?? id.charAt(0).toUpperCase() + id.slice(1)
}

function useSocialSignIn(redirect: string) {
  return useMutation({
    // On success the client sends the whole window to the provider.
    mutationFn: (provider: string) =>
      unwrap(
        authClient.signIn.social({
          provider,
          callbackURL: appUrl(redirect),
          errorCallbackURL: appUrl('/sign-in'),
        }),
      ),
    onError: (error) => toast.error(messageOf(error)),
  })
}

export function SocialButtons({ redirect }: { redirect: string }) {
  const providers = useAuthProviders()
  const socialSignIn = useSocialSignIn(redirect)
  if (!providers.data?.length) return null
  return (
    <div className="space-y-2">
      <p className="text-center text-sm text-gray-600 dark:text-gray-400">or continue with</p>
      {providers.data.map((provider) => (
        <Button
          key={provider}
          variant="secondary"
          className="w-full"
          pending={socialSignIn.isPending && socialSignIn.variables === provider}
          onClick={() => socialSignIn.mutate(provider)}
        >
          {providerName(provider)}
        </Button>
      ))}
    </div>
  )
}
