/**
 * A refusal the registry answers with cargo's error shape, `{"errors":[{"detail":…}]}`, and the
 * status a real registry uses for it. Thrown by the pure parts, turned into a reply by the server.
 */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'RegistryError';
  }
}

export function errorBody(detail: string): { errors: { detail: string }[] } {
  return { errors: [{ detail }] };
}
