#!/usr/bin/env python3
"""Runs a command on a real pseudo-terminal, as a user at a terminal would.

usage: pty-drive.py ROWS COLS STEPS_JSON -- COMMAND...
STEPS_JSON is a list of steps done in order once the output so far contains "after":
  {"after": "text", "resize": [rows, cols], "until": "text"}  changes the window size (the kernel
      sends SIGWINCH); until the "until" text shows, SIGWINCH is sent again every half second,
      since the program may not have been listening for it yet
  {"after": "text", "send": "bytes"}         types bytes (\\u0010 is ctrl-p)
Prints everything the command wrote to the terminal, exits with its exit status; gives up
after 60 s.
"""
import fcntl, json, os, pty, select, signal, struct, sys, termios, time

rows, cols, steps = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
command = sys.argv[sys.argv.index("--") + 1:]
pid, master = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(command[0], command)

output = b""
deadline = time.time() + 60
status = None
repeat = None
next_signal = 0
while time.time() < deadline:
    if repeat is not None:
        if repeat.encode() in output:
            repeat = None
        elif time.time() >= next_signal:
            os.kill(pid, signal.SIGWINCH)
            next_signal = time.time() + 0.5
    while steps and steps[0]["after"].encode() in output:
        step = steps.pop(0)
        if "resize" in step:
            fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", step["resize"][0], step["resize"][1], 0, 0))
            repeat = step.get("until")
            next_signal = time.time() + 0.5
        if "send" in step:
            os.write(master, step["send"].encode())
    ready, _, _ = select.select([master], [], [], 0.1)
    if ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if not data:
            break
        output += data
    else:
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code
            break
if status is None:
    try:
        _, status = os.waitpid(pid, os.WNOHANG if time.time() >= deadline else 0)
    except ChildProcessError:
        status = 0
if time.time() >= deadline:
    os.kill(pid, 9)
    sys.stdout.write("pty-drive: timed out\n")
sys.stdout.write(output.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status) if status else 0)
