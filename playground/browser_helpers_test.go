package playground_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/confbot/confbot/playground"
)

// chromiumPath is Debian's chromium package; .ci/run installs it.
const chromiumPath = "/usr/bin/chromium"

const (
	secretaryCNTT int64 = 100011
	guestCTDCT    int64 = 100021
)

// browser drives the playground page in headless Chromium, as a person would.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string // where screenshots go

	mu     sync.Mutex
	errors []string // uncaught exceptions of the page
}

// newBrowser starts Chromium on a fresh profile and opens the page. The test
// is skipped without Chromium, unless CONFBOT_REQUIRE_BROWSER is set (CI).
func newBrowser(t *testing.T, p *playground.Playground) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CONFBOT_REQUIRE_BROWSER") == "" {
			t.Skipf("no Chromium at %s (apt-get install chromium); set CONFBOT_REQUIRE_BROWSER to make this a failure", chromiumPath)
		}
		t.Fatalf("CONFBOT_REQUIRE_BROWSER is set but %s is missing: %v", chromiumPath, err)
	}
	dir := os.Getenv("CONFBOT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // containers have a small /dev/shm
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 860),
	)
	// No timeout on the browser's own context: chromedp ties the browser's
	// life to the context of the first Run. Each step gets its own deadline.
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, base: p.URL(), dir: dir}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok && e.ExceptionDetails != nil {
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			b.mu.Lock()
			b.errors = append(b.errors, fmt.Sprintf("%s (line %d)", msg, e.ExceptionDetails.LineNumber+1))
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, e := range b.errors {
			t.Errorf("script error in the page: %s", e)
		}
	})
	return b
}

// step bounds one browser action in time.
const step = 15 * time.Second

func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval runs a script in the page and returns its string value.
func (b *browser) eval(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// poll waits until the script's value is truthy.
func (b *browser) poll(js string) error {
	ctx, cancel := context.WithTimeout(b.ctx, step+time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(step)))
	return err
}

// open loads the page as a person, in their private chat.
func (b *browser) open(as int64) {
	b.t.Helper()
	b.do("open the page", chromedp.Navigate(fmt.Sprintf("%s/#as=%d&chat=%d", b.base, as, as)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-person="%d"].active`, as))))
}

// switchTo picks a person in the list (their private chat opens).
func (b *browser) switchTo(as int64) {
	b.t.Helper()
	sel := fmt.Sprintf(`[data-person="%d"]`, as)
	b.do("switch person", chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(chromedp.CSS(sel+".active")))
}

// openChat picks a chat of the current person (their private chat or the group).
func (b *browser) openChat(chatID int64) {
	b.t.Helper()
	sel := fmt.Sprintf(`[data-chat="%d"]`, chatID)
	b.do("open chat", chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(chromedp.CSS(sel+".active")))
}

// sendAs switches to a person (when needed) and types text in their private chat.
func (b *browser) sendAs(as int64, text string) {
	b.t.Helper()
	if b.eval(`document.querySelector('[data-person].active')?.dataset.person || ''`) != fmt.Sprint(as) {
		b.switchTo(as)
	}
	b.send(text)
}

// send types text into the composer of the open chat and sends it.
func (b *browser) send(text string) {
	b.t.Helper()
	b.do("send "+text, chromedp.SetValue(chromedp.ID("text"), text), chromedp.Click(chromedp.ID("send")))
}

// upload sends a file from disk in the open chat, with the composer's text as caption.
func (b *browser) upload(caption, path string) {
	b.t.Helper()
	b.do("upload "+path, chromedp.SetValue(chromedp.ID("text"), caption), chromedp.SetUploadFiles(chromedp.ID("file"), []string{path}))
}

// advanceClock presses a clock button ("1h", "24h" or "to_conference") and
// waits for the clock on the page to change.
func (b *browser) advanceClock(what string) {
	b.t.Helper()
	before := b.eval(`document.getElementById('clock').textContent`)
	b.do("advance the clock", chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-advance=%q]`, what))))
	if err := b.poll(fmt.Sprintf(`document.getElementById('clock').textContent !== %s`, jsString(before))); err != nil {
		b.t.Fatalf("the clock still says %s after %s: %v", before, what, err)
	}
}

// waitForText waits until the open chat shows text.
func (b *browser) waitForText(text string) {
	b.t.Helper()
	js := fmt.Sprintf(`document.getElementById('messages').innerText.includes(%s)`, jsString(text))
	if err := b.poll(js); err != nil {
		b.t.Fatalf("the chat never showed %q: %v\nit shows:\n%s", text, err, b.eval(`document.getElementById('messages').innerText`))
	}
}

// pressButton presses the last inline button whose label contains label.
func (b *browser) pressButton(label string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
		const bs = [...document.querySelectorAll('.inline-keyboard button')].filter((b) => b.textContent.includes(%s));
		if (!bs.length) return false;
		bs[bs.length - 1].click();
		return true;
	})()`, jsString(label))
	if err := b.poll(js); err != nil {
		b.failure()
		b.t.Fatalf("no button %q: %v", label, err)
	}
}

// failure saves what the page shows when a step fails, for the log.
func (b *browser) failure() {
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		_ = os.WriteFile(filepath.Join(b.dir, "failure.png"), png, 0o644)
	}
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	b.t.Logf("the page shows:\n%s", text)
}

// waitForButton waits until an inline button's label contains label.
func (b *browser) waitForButton(label string) {
	b.t.Helper()
	js := fmt.Sprintf(`[...document.querySelectorAll('.inline-keyboard button')].some((b) => b.textContent.includes(%s))`, jsString(label))
	if err := b.poll(js); err != nil {
		b.t.Fatalf("no button %q: %v", label, err)
	}
}

// waitForPhoto waits until the open chat shows a photo, loaded.
func (b *browser) waitForPhoto() {
	b.t.Helper()
	if err := b.poll(`[...document.querySelectorAll('#messages .photo')].some((i) => i.complete && i.naturalWidth > 0)`); err != nil {
		b.t.Fatalf("no photo in the chat: %v", err)
	}
}

// screenshot saves the window as NAME.png in the screenshots folder, once
// the page has settled (no button press in flight, no highlight fading).
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if err := b.poll(`!document.querySelector('button:disabled') && document.getAnimations().every((a) => a.playState !== 'running')`); err != nil {
		b.t.Fatalf("the page never settled for a screenshot: %v", err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(b.dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", path)
}

func jsString(s string) string {
	raw, _ := json.Marshal(s)
	return string(raw)
}
