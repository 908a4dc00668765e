package telegramsim

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // photos may be GIF, JPEG or PNG
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"path"
	"strings"
)

// maxDownloadBytes is the getFile limit of the public Bot API server.
const maxDownloadBytes = 20 << 20

// fileStore keeps every file by file_id and by download path.
type fileStore struct {
	byID   map[string]*File
	byPath map[string]*File
	pathOf map[string]string
	count  int
}

func newFileStore() fileStore {
	return fileStore{byID: make(map[string]*File), byPath: make(map[string]*File), pathOf: make(map[string]string)}
}

// store keeps a copy of content under fresh ids; folder is "documents" or "photos", as
// Telegram's file paths are.
func (fs *fileStore) store(name, mimeType string, content []byte, folder string) *File {
	fs.count++
	f := &File{
		FileID:       fmt.Sprintf("BQACAgIAAxkBAAI%06d-sim", fs.count),
		FileUniqueID: fmt.Sprintf("AgAD%06d", fs.count),
		Name:         name,
		MIMEType:     mimeType,
		Bytes:        bytes.Clone(content),
	}
	p := fmt.Sprintf("%s/file_%d%s", folder, fs.count, path.Ext(name))
	fs.byID[f.FileID] = f
	fs.byPath[p] = f
	fs.pathOf[f.FileID] = p
	return f
}

// File returns a stored file by file_id.
func (s *Simulator) File(fileID string) (File, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files.byID[fileID]
	if !ok {
		return File{}, false
	}
	return *f, true
}

func (s *Simulator) getFile(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := req.fields["file_id"]
	f, ok := s.files.byID[id]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	if len(f.Bytes) > maxDownloadBytes {
		return nil, badRequest("file is too big")
	}
	return map[string]any{
		"file_id": f.FileID, "file_unique_id": f.FileUniqueID,
		"file_size": len(f.Bytes), "file_path": s.files.pathOf[id],
	}, nil
}

// serveFileDownload answers GET /file/bot{token}/{file_path}.
func (s *Simulator) serveFileDownload(w http.ResponseWriter, rest string) {
	token, filePath, _ := strings.Cut(rest, "/")
	if token != s.token {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	f, ok := s.files.byPath[filePath]
	s.mu.Unlock()
	if !ok {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(f.Bytes)
}

// inputFileLocked resolves an InputFile field: an uploaded part, "attach://name", or a file_id
// of a stored file. HTTP URLs cannot be fetched: the simulator has no network.
func (s *Simulator) inputFileLocked(req *request, field, folder string) (*File, *apiError) {
	if up, ok := req.files[field]; ok {
		return s.files.store(up.Name, up.MIMEType, up.Bytes, folder), nil
	}
	value := req.fields[field]
	if name, ok := strings.CutPrefix(value, "attach://"); ok {
		up, found := req.files[name]
		if !found {
			return nil, badRequest("file attach://%s not found in the request", name)
		}
		return s.files.store(up.Name, up.MIMEType, up.Bytes, folder), nil
	}
	if strings.HasPrefix(value, "http://") || strings.HasPrefix(value, "https://") {
		return nil, badRequest("failed to get HTTP URL content (the simulator does not fetch URLs)")
	}
	if f, ok := s.files.byID[value]; ok {
		return f, nil
	}
	return nil, badRequest("wrong file identifier/HTTP URL specified")
}

// photoSize reads the dimensions of an image; Telegram refuses photos it cannot decode.
func photoSize(f *File) (width, height int, apiErr *apiError) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(f.Bytes))
	if err != nil {
		return 0, 0, badRequest("IMAGE_PROCESS_FAILED")
	}
	return cfg.Width, cfg.Height, nil
}
