package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	tgbot "github.com/go-telegram/bot"
)

// ErrFileTooBig is returned when a file is over the size asked for.
var ErrFileTooBig = errors.New("file too big")

// Files downloads files people sent, through getFile.
type Files struct {
	bot    *tgbot.Bot
	client *http.Client
}

// NewFiles builds a downloader on b.
func NewFiles(b *tgbot.Bot, client *http.Client) *Files {
	if client == nil {
		client = http.DefaultClient
	}
	return &Files{bot: b, client: client}
}

// Download fetches a file's bytes, refusing more than max. The download
// link holds the token: it is never logged, and errors do not carry it.
func (f *Files) Download(ctx context.Context, fileID string, max int64) ([]byte, error) {
	file, err := f.bot.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, fmt.Errorf("getFile: %w", err)
	}
	if file.FileSize > max {
		return nil, ErrFileTooBig
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.bot.FileDownloadLink(file), nil)
	if err != nil {
		return nil, errors.New("download: bad link")
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download: %w: %w", ErrTransient, errors.Unwrap(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("download: %w: %w", ErrTransient, err)
	}
	if int64(len(data)) > max {
		return nil, ErrFileTooBig
	}
	return data, nil
}
