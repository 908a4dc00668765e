package telegramsim

import (
	"encoding/json"
	"strconv"
)

// inputMedia is one element of sendMediaGroup's media array.
type inputMedia struct {
	Type      string `json:"type"`
	Media     string `json:"media"`
	Caption   string `json:"caption"`
	ParseMode string `json:"parse_mode"`
}

// sendMediaGroup carries out an album, as Telegram does: 2 to 10 items, all
// documents or all photos and videos; each item becomes a message of the
// chat, sharing a media_group_id, and the answer is their array.
func (s *Simulator) sendMediaGroup(req *request) (any, *apiError) {
	var items []inputMedia
	if err := json.Unmarshal([]byte(req.fields["media"]), &items); err != nil {
		return nil, badRequest("can't parse media JSON object")
	}
	if len(items) < 2 || len(items) > 10 {
		return nil, badRequest("wrong number of media: an album has 2 to 10 items, not %d", len(items))
	}
	documents := 0
	for _, it := range items {
		switch it.Type {
		case "document":
			documents++
		case "photo", "video", "audio":
		default:
			return nil, badRequest("unsupported media type %q", it.Type)
		}
	}
	if documents != 0 && documents != len(items) {
		return nil, badRequest("documents can be grouped in an album only with other documents")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	chatID, apiErr := s.botChatLocked(req)
	if apiErr != nil {
		return nil, apiErr
	}
	// Resolve every file before adding any message: a bad item fails the album.
	files := make([]*File, len(items))
	for i, it := range items {
		folder := "documents"
		if it.Type == "photo" {
			folder = "photos"
		}
		one := &request{method: req.method, fields: map[string]string{"media": it.Media}, files: req.files}
		f, apiErr := s.inputFileLocked(one, "media", folder)
		if apiErr != nil {
			return nil, apiErr
		}
		files[i] = f
	}
	s.mediaGroups++
	group := strconv.Itoa(s.mediaGroups)
	out := make([]any, len(items))
	for i, it := range items {
		visible, _ := visibleText(it.Caption, it.ParseMode)
		m := &chatMessage{Message: Message{
			ChatID: chatID, FromBot: true, FromUserID: s.botUser.ID,
			Text: visible, RawText: it.Caption, ParseMode: it.ParseMode, MediaGroupID: group,
		}}
		if it.Type == "photo" {
			w, h, apiErr := photoSize(files[i])
			if apiErr != nil {
				return nil, apiErr
			}
			photo := *files[i]
			photo.Width, photo.Height = w, h
			m.Photo = &photo
		} else {
			m.Document = files[i]
		}
		s.addMessageLocked(m)
		out[i] = s.messageJSONLocked(m)
	}
	return out, nil
}
