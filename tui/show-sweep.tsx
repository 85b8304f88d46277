/**
 * The terminal UI's entry point for `roux sweep` and `roux watch SWEEP_DIR`: renders the sweep's
 * screen and redraws it when its rows change. `q` leaves; Ctrl-C leaves too, saying so (for a
 * sweep this process runs, the caller stops its runs, which checkpoint where they are).
 */
import { render, useInput } from "ink";
import { SweepScreen, type SweepScreenProps } from "./sweep-screen.js";

export interface SweepUi {
  update(props: SweepScreenProps): void;
  /** Settles when the user leaves: `q` or Ctrl-C. */
  readonly left: Promise<"quit" | "interrupt">;
  close(): Promise<void>;
}

export function showSweep(props: SweepScreenProps, stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): SweepUi {
  let leave!: (how: "quit" | "interrupt") => void;
  const left = new Promise<"quit" | "interrupt">((resolve) => (leave = resolve));
  const app = (p: SweepScreenProps) => <Keys onLeave={leave} {...p} />;
  const instance = render(app(props), { stdout, stdin, exitOnCtrlC: false });
  return {
    update: (p) => instance.rerender(app(p)),
    left,
    async close() {
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}

function Keys({ onLeave, ...props }: SweepScreenProps & { onLeave(how: "quit" | "interrupt"): void }) {
  useInput((input, key) => {
    if (key.ctrl && input === "c") onLeave("interrupt");
    else if (input === "q") onLeave("quit");
  });
  return <SweepScreen {...props} />;
}
