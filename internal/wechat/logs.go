package wechat

import (
	"os"

	"github.com/sirupsen/logrus"
)

// QuietSDKLogs undoes the SDK's init(), which sets the global logrus logger to
// Debug on stdout (it would print raw callback XML and mix with our slog
// output). Only warnings and errors are kept, on stderr. It is idempotent and
// New calls it; call it early in main too if the SDK is used before New.
func QuietSDKLogs() {
	logrus.SetLevel(logrus.WarnLevel)
	logrus.SetOutput(os.Stderr)
}
