export interface StageExecutorOptions {
  /** Whether the component has a verify target whose record must be present. */
  verify?: boolean;
  /** Whether the component ships an image (dist/<c>/image.json). */
  image?: boolean;
}
