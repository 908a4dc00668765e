package telegramsim

// ParseHTML checks text the way the simulator checks a message sent with
// parse_mode HTML, and returns what a person would see. The error is the
// "can't parse entities" Telegram would answer with (a 400).
func ParseHTML(text string) (string, error) { return visibleHTML(text) }
