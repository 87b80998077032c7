// Small helpers shared by the Admin forms.
import { tick } from 'svelte';

/** After a refused submit: focus the first field marked invalid, so its error is read next. */
export async function focusFirstInvalid(root: HTMLElement | null | undefined): Promise<void> {
  await tick();
  root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
