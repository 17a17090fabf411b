"""Clicks a heading of the workbench's results table in headless Chromium,
driven over the DevTools protocol on a pipe (fds 3 and 4), and prints the
column's cells as shown before and after each of two clicks, as JSON.

Usage: click_heading.py URL COLUMN
"""
import json, os, subprocess, sys, tempfile, time
url = sys.argv[1]
r3, w3 = os.pipe()
r4, w4 = os.pipe()
def child():
    # Chromium reads fd 3 and writes fd 4; move the pipe ends there, out of
    # each other's way first.
    a, b = os.dup(r3), os.dup(w4)
    os.dup2(a, 3)
    os.dup2(b, 4)
    os.set_inheritable(3, True)
    os.set_inheritable(4, True)
profile = tempfile.mkdtemp()
chromium = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-pipe", "about:blank"],
    preexec_fn=child, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(r3); os.close(w4)
out, inp = os.fdopen(w3, "wb"), os.fdopen(r4, "rb")
buffer = b""
counter = 0
def call(method, params=None, session=None):
    global buffer, counter
    counter += 1
    message = {"id": counter, "method": method, "params": params or {}}
    if session: message["sessionId"] = session
    out.write(json.dumps(message).encode() + b"\0"); out.flush()
    while True:
        while b"\0" not in buffer:
            chunk = os.read(inp.fileno(), 65536)
            if not chunk: raise SystemExit("chromium closed the pipe")
            buffer += chunk
        raw, buffer = buffer.split(b"\0", 1)
        reply = json.loads(raw)
        if reply.get("id") == counter:
            if "error" in reply: raise SystemExit(str(reply["error"]))
            return reply["result"]
try:
    target = call("Target.createTarget", {"url": url})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    def evaluate(expression):
        # The page may still be replacing about:blank: try again until its own context answers.
        for _ in range(100):
            try:
                r = call("Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True}, session)
                break
            except SystemExit as e:
                if "context" not in str(e): raise
                time.sleep(0.1)
        if "exceptionDetails" in r: raise SystemExit(str(r["exceptionDetails"]))
        return r["result"].get("value")
    wait = "document.readyState === 'loading' ? false : new Promise(ok => { const t = setInterval(() => { if (document.querySelector('#results table')) { clearInterval(t); ok(true); } }, 50); setTimeout(() => ok(false), 10000); })"
    for _ in range(100):
        if evaluate(wait): break
        time.sleep(0.1)
    else:
        raise SystemExit("no results table")
    column = int(sys.argv[2])
    read = "Array.from(document.querySelectorAll('#results tbody tr')).map(r => r.cells[%d].textContent)" % column
    shown = [evaluate(read)]
    for _ in range(2):
        evaluate("document.querySelectorAll('#results th')[%d].click(); true" % column)
        shown.append(evaluate(read))
    print(json.dumps(shown, ensure_ascii=False))
finally:
    chromium.kill()
