"""Memory does not grow with the input: converting 20,000 RIS records
takes no more peak memory (RSS) than converting 1,000, give or take a
little. The records are copies of a fixture's, written to a temporary
file."""
import os
import resource
import subprocess
import sys
import tempfile

# Under AddressSanitizer freed memory waits in a quarantine, which looks like
# growth; without it the sanitizer build measures what the code keeps.
os.environ["ASAN_OPTIONS"] = ":".join(
    x for x in (os.environ.get("ASAN_OPTIONS", ""), "quarantine_size_mb=0",
                "thread_local_quarantine_size_kb=0") if x)

SLACK_KB = 2048


def peak_kb(argv):
    """Peak RSS of one child process, in KiB (Linux)."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} failed")
    return usage.ru_maxrss


def main():
    binary, fixture = sys.argv[1], sys.argv[2]
    with open(fixture, "rb") as f:
        record = f.read().rstrip() + b"\n\n"
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1000, 20000):
            path = os.path.join(tmp, f"{n}.ris")
            with open(path, "wb") as f:
                for _ in range(n):
                    f.write(record)
            for to in ("ris", "csl-json"):
                results[(n, to)] = peak_kb(
                    [binary, "-q", "-f", "ris", "-t", to, path])
    bad = 0
    for to in ("ris", "csl-json"):
        small, big = results[(1000, to)], results[(20000, to)]
        print(f"ris -> {to}: peak RSS {small} KiB for 1,000 records, "
              f"{big} KiB for 20,000")
        if big > small + SLACK_KB:
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
