package answer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"datalex/internal/store/storetest"
)

func TestConversationHistory(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	h := NewHistory(st.DB())
	a := newFixtureAnswerer(Config{History: h})

	first, err := a.Ask(ctx, Request{Question: "数据安全法对国家核心数据有什么规定？", UserID: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	if first.ConversationID == "" {
		t.Fatal("no conversation id")
	}
	// The follow-up takes its context from the stored conversation.
	second, err := a.Ask(ctx, Request{Question: "那罚款是多少？", UserID: "u1", ConversationID: first.ConversationID})
	if err != nil {
		t.Fatal(err)
	}
	if second.ConversationID != first.ConversationID || !strings.Contains(squash(second.Text), "二百万元以上一千万元以下") {
		t.Errorf("follow-up:\n%s", second.Text)
	}

	convs, err := h.Conversations(ctx, "u1", 10)
	if err != nil || len(convs) != 1 || convs[0].Title == "" {
		t.Fatalf("conversations %+v %v", convs, err)
	}
	c, msgs, err := h.Conversation(ctx, "u1", first.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 4 || msgs[0].Role != "user" || msgs[1].Role != "assistant" || len(msgs[3].Citations) == 0 {
		t.Fatalf("messages %+v", msgs)
	}
	md := ConversationMarkdown(c, msgs)
	for _, want := range []string{"## 问：那罚款是多少？", "### 依据", "数据安全法 第四十五条", "> "} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}

	// Another user sees nothing and cannot continue or delete it.
	if _, _, err := h.Conversation(ctx, "u2", first.ConversationID); !errors.Is(err, ErrNoConversation) {
		t.Errorf("u2 read u1's conversation: %v", err)
	}
	if _, err := a.Ask(ctx, Request{Question: "那罚款是多少？", UserID: "u2", ConversationID: first.ConversationID}); !errors.Is(err, ErrNoConversation) {
		t.Errorf("u2 continued u1's conversation: %v", err)
	}
	if err := h.Delete(ctx, "u2", first.ConversationID); !errors.Is(err, ErrNoConversation) {
		t.Errorf("u2 deleted: %v", err)
	}
	if err := h.Delete(ctx, "u1", first.ConversationID); err != nil {
		t.Fatal(err)
	}
	if convs, _ := h.Conversations(ctx, "u1", 10); len(convs) != 0 {
		t.Errorf("after delete: %+v", convs)
	}
}

func TestAnswerMarkdown(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	ans, err := a.Ask(context.Background(), Request{Question: q010})
	if err != nil {
		t.Fatal(err)
	}
	md := ans.Markdown()
	for _, want := range []string{"## 问：" + q010, "[1] 数据安全法 第三十六条（001_test.txt 第", "> 中华人民共和国主管机关根据"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}
