import { expect } from '@playwright/test'
import { MAILBOX_URL } from './ports'

export interface Mail {
  to: string[]
  subject: string
  text: string
  html: string
}

async function mailsTo(address: string): Promise<Mail[]> {
  const response = await fetch(`${MAILBOX_URL}/messages?to=${encodeURIComponent(address)}`)
  return (await response.json()) as Mail[]
}

/** Waits for the `count`-th mail to `address` and returns it. */
export async function waitForMail(address: string, count = 1): Promise<Mail> {
  let mails: Mail[] = []
  await expect
    .poll(
      async () => {
        mails = await mailsTo(address)
        return mails.length
      },
      {
        message: `mail #${count} to ${address}`,
        timeout: 15_000,
      },
    )
    .toBeGreaterThanOrEqual(count)
  const mail = mails[count - 1]
  if (!mail) throw new Error('unreachable')
  return mail
}

/** The first link in the mail whose URL contains `fragment`. */
export function linkIn(mail: Mail, fragment: string): string {
  const links = `${mail.text}\n${mail.html}`.match(/https?:\/\/[^\s"'<>]+/g) ?? []
  const link = links
    .map((href) => href.replaceAll('&amp;', '&'))
    .find((href) => href.includes(fragment))
  if (!link) throw new Error(`no link containing ${fragment} in mail "${mail.subject}"`)
  return link
}
