package playground

import "embed"

// webFiles is the page: plain HTML, CSS and one script, no build step.
//
//go:embed web
var webFiles embed.FS
