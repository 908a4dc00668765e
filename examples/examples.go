// Package examples embeds the conference files shipped with confbot: the
// reference 2022 conference of cluster no. 8 and a larger 12-unit cluster.
// The playground loads them; tests play them.
package examples

import _ "embed"

// Cum8 is the reference conference (cụm thi đua số 8, 2022).
//
//go:embed cum8-2022.yaml
var Cum8 []byte

// Cum12 is a 12-unit cluster with guests and every ballot kind.
//
//go:embed cum12-full.yaml
var Cum12 []byte
