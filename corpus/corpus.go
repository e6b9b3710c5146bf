// Package corpus embeds the bundled seed documents, the platform's starting
// library, so that a fresh clone and a single binary need nothing else.
package corpus

import "embed"

// Seeds holds the five seed files under seeds/.
//
//go:embed seeds/*.txt
var Seeds embed.FS
