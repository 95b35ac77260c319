//go:build race

package notify

// raceEnabled: the race detector slows everything several times, so timing
// targets are not checked under it.
const raceEnabled = true
