/** What the terminal UI may do to a run it owns (started by this `roux run`); `roux watch` owns none. */
export interface RunControl {
  /** `roux run --detach`: leaving the UI leaves the run going; without it, leaving asks to stop it. */
  readonly detached: boolean;
  pause(): void;
  resume(): void;
  /** Stops after the current step with a checkpoint, as Ctrl-C does; `roux resume` continues. */
  stop(): void;
}
