package playground_test

import (
	"testing"

	"github.com/confbot/confbot/playground"
)

func TestSanitizeHTML(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain text", "Đồng chí Lan", "Đồng chí Lan"},
		{"allowed tags", "<b>7/9</b> <i>đơn vị</i> <u>x</u> <s>y</s> <code>c</code>", "<b>7/9</b> <i>đơn vị</i> <u>x</u> <s>y</s> <code>c</code>"},
		{"aliases", "<strong>a</strong><em>b</em><ins>c</ins><del>d</del>", "<b>a</b><i>b</i><u>c</u><s>d</s>"},
		{"attributes dropped", `<pre><code class="language-go">x</code></pre>`, "<pre><code>x</code></pre>"},
		{"link", `<a href="https://t.me/bot?start=abc">mời</a>`, `<a href="https://t.me/bot?start=abc" target="_blank" rel="noopener noreferrer">mời</a>`},
		{"javascript link", `<a href="javascript:alert(1)">x</a>`, "<a>x</a>"},
		{"script escaped", `<script>alert(1)</script>`, "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"event handler escaped", `<img src=x onerror=alert(1)>`, "&lt;img src=x onerror=alert(1)&gt;"},
		{"entities once", "a &lt; b &amp; c > d", "a &lt; b &amp; c &gt; d"},
		{"quotes in text", `"x" 'y'`, "&#34;x&#34; &#39;y&#39;"},
		{"lone angle bracket", "1 < 2", "1 &lt; 2"},
		{"unclosed tag", "<b", "&lt;b"},
		{"spoiler keeps its text", `<span class="tg-spoiler">bí mật</span> <tg-spoiler>x</tg-spoiler>`, "bí mật x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := playground.SanitizeHTML(tc.in); got != tc.want {
				t.Errorf("SanitizeHTML(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
