// Package fonts embeds the typeface confbot draws its images and documents
// with: DejaVu Sans 2.37 (Regular and Bold) as shipped by Debian's
// fonts-dejavu-core. It covers Latin with every Vietnamese letter
// precomposed (Ư, Ơ, Đ and all tone marks), the typographic quotes and the
// symbols the charts use (★, ⚖, …), so nothing depends on the fonts
// installed on the host. The licence (Bitstream Vera, DejaVu changes in the
// public domain) is in LICENSE-DejaVu.txt beside this file and must travel
// with the fonts.
package fonts

import _ "embed" // for go:embed

// SansRegular is DejaVuSans.ttf, the raw TrueType bytes. Treat it as
// read-only: it is shared by every user of the package.
//
//go:embed DejaVuSans.ttf
var SansRegular []byte

// SansBold is DejaVuSans-Bold.ttf, the raw TrueType bytes. Treat it as
// read-only: it is shared by every user of the package.
//
//go:embed DejaVuSans-Bold.ttf
var SansBold []byte

// License is the text of LICENSE-DejaVu.txt, for documents that embed the
// fonts and want to carry their notice.
//
//go:embed LICENSE-DejaVu.txt
var License string
