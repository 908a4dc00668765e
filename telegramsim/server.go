package telegramsim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxUploadBytes is Telegram's upload limit for bots on the public Bot API server.
const maxUploadBytes = 50 << 20

// request is one Bot API call, with form values and file parts apart.
type request struct {
	method string
	fields map[string]string
	files  map[string]UploadedFile
}

func (r *request) has(name string) bool {
	_, inFields := r.fields[name]
	_, inFiles := r.files[name]
	return inFields || inFiles
}

// attachReferenced reports whether some value names the file part as "attach://name".
func (r *request) attachReferenced(name string) bool {
	for _, v := range r.fields {
		if strings.Contains(v, "attach://"+name) {
			return true
		}
	}
	return false
}

func (r *request) chatID() (int64, bool) {
	id, err := strconv.ParseInt(r.fields["chat_id"], 10, 64)
	return id, err == nil
}

func (r *request) int64Field(name string) int64 {
	n, _ := strconv.ParseInt(r.fields[name], 10, 64)
	return n
}

// apiError is a Bot API error answer.
type apiError struct {
	code        int
	description string
	retryAfter  int
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.code, e.description) }

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: 400, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func tooManyRequests(retryAfter int) *apiError {
	return &apiError{code: 429, description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter), retryAfter: retryAfter}
}

func errorForCode(code, retryAfter int) *apiError {
	switch code {
	case 429:
		return tooManyRequests(retryAfter)
	case 400:
		return badRequest("injected failure")
	case 403:
		return &apiError{code: 403, description: "Forbidden: bot was blocked by the user"}
	case 500:
		return &apiError{code: 500, description: "Internal Server Error"}
	default:
		return &apiError{code: code, description: http.StatusText(code)}
	}
}

func (s *Simulator) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if strings.HasPrefix(path, "/file/bot") {
		s.serveFileDownload(w, path[len("/file/bot"):])
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	token, method, found := strings.Cut(rest, "/")
	if !ok || !found {
		writeAnswer(w, nil, &apiError{code: 404, description: "Not Found"})
		return
	}
	if token != s.token {
		writeAnswer(w, nil, &apiError{code: 401, description: "Unauthorized"})
		return
	}
	canonical := s.spec.method(method)
	if canonical == "" {
		s.recordViolation(method, fmt.Sprintf("unknown method %q", method))
		// Telegram answers an unknown method with 404, not 400.
		writeAnswer(w, nil, &apiError{code: 404, description: "Not Found: method not found"})
		return
	}
	req, err := parseRequest(r, canonical)
	if err != nil && (errors.Is(err, io.ErrUnexpectedEOF) || r.Context().Err() != nil) {
		// The client hung up mid-request (a send cancelled at shutdown):
		// legal HTTP, nothing was sent, and nobody reads the answer.
		writeAnswer(w, nil, badRequest("incomplete request"))
		return
	}
	if err != nil {
		s.recordViolation(canonical, err.Error())
		writeAnswer(w, nil, badRequest("%v", err))
		return
	}
	result, apiErr, hold := s.handle(r.Context(), req)
	if hold > 0 {
		timer := time.NewTimer(hold)
		select {
		case <-r.Context().Done():
		case <-s.closed:
		case <-timer.C:
		}
		timer.Stop()
	}
	writeAnswer(w, result, apiErr)
}

// handle runs one parsed request through validation, fault injection, flood limits and the
// method, and records it as a Call.
func (s *Simulator) handle(ctx context.Context, req *request) (any, *apiError, time.Duration) {
	s.mu.Lock()
	callIndex := len(s.calls)
	s.calls = append(s.calls, newCall(req, s.now()))
	c := s.validate(req)
	for _, n := range c.notes {
		s.noteLocked(n)
	}
	for _, p := range c.problems {
		s.violationLocked(req.method, p)
	}
	var apiErr *apiError
	var hold time.Duration
	if len(c.problems) > 0 {
		apiErr = badRequest("%s", c.problems[0])
	} else if f, ok := s.faults.decide(req.method); ok {
		if f.code != 0 {
			apiErr = errorForCode(f.code, f.retryAfter)
		}
		hold = f.hold
	}
	if apiErr == nil && isRateLimited(req.method) {
		chatID, _ := req.chatID()
		if retry, ok := s.rate.admit(chatID, s.limitClock()); !ok {
			apiErr = tooManyRequests(retry)
		}
	}
	s.mu.Unlock()

	var result any
	if apiErr == nil {
		result, apiErr = s.dispatch(ctx, req)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if apiErr != nil {
		s.calls[callIndex].ErrorCode = apiErr.code
		s.calls[callIndex].Description = apiErr.description
		if apiErr.code == 429 {
			s.count429++
		}
	}
	if req.method != "getUpdates" {
		s.changeLocked(Event{Kind: EventCall, Method: req.method})
	}
	return result, apiErr, hold
}

func writeAnswer(w http.ResponseWriter, result any, apiErr *apiError) {
	w.Header().Set("Content-Type", "application/json")
	if apiErr != nil {
		body := map[string]any{"ok": false, "error_code": apiErr.code, "description": apiErr.description}
		if apiErr.retryAfter > 0 {
			body["parameters"] = map[string]any{"retry_after": apiErr.retryAfter}
		}
		// Telegram's HTTP status equals its error_code.
		w.WriteHeader(apiErr.code)
		_ = json.NewEncoder(w).Encode(body)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// parseRequest reads the parameters the way Telegram accepts them: query string, URL-encoded
// form, JSON body or multipart form with file parts.
func parseRequest(r *http.Request, method string) (*request, error) {
	req := &request{method: method, fields: make(map[string]string), files: make(map[string]UploadedFile)}
	for k, v := range r.URL.Query() {
		req.fields[k] = v[0]
	}
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body := http.MaxBytesReader(nil, r.Body, maxUploadBytes)
	switch mediaType {
	case "multipart/form-data":
		if err := parseMultipart(body, params["boundary"], req); err != nil {
			return nil, err
		}
	case "application/json":
		var obj map[string]json.RawMessage
		data, err := io.ReadAll(body)
		if err != nil {
			return nil, fmt.Errorf("read body: %w", err)
		}
		if len(data) > 0 {
			if err := json.Unmarshal(data, &obj); err != nil {
				return nil, fmt.Errorf("body is not a JSON object: %w", err)
			}
		}
		for k, raw := range obj {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				req.fields[k] = str
			} else {
				req.fields[k] = string(raw)
			}
		}
	case "application/x-www-form-urlencoded":
		r.Body = body
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("parse form: %w", err)
		}
		for k, v := range r.PostForm {
			req.fields[k] = v[0]
		}
	}
	return req, nil
}

func parseMultipart(body io.Reader, boundary string, req *request) error {
	if boundary == "" {
		return errors.New("multipart body without boundary")
	}
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			// go-telegram/bot sends an empty body, without even a closing boundary, when a
			// method has no parameters.
			return nil
		}
		if err != nil {
			return fmt.Errorf("read multipart: %w", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return fmt.Errorf("read part %q: %w", part.FormName(), err)
		}
		if part.FileName() != "" {
			req.files[part.FormName()] = UploadedFile{
				Name:     part.FileName(),
				MIMEType: part.Header.Get("Content-Type"),
				Bytes:    data,
			}
			continue
		}
		req.fields[part.FormName()] = string(data)
	}
}
