package emulator

import (
	"encoding/json"
	"testing"
)

func TestJSONObjectMatchesEncodingJSON(t *testing.T) {
	tricky := "a\"b\\c\n\t\x01 直播 <&> \u2028"
	got := jsonObject("k", tricky, "n", 42, "big", int64(-7), "num", json.Number("1.250"))
	var back map[string]any
	if err := json.Unmarshal([]byte(got), &back); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if back["k"] != tricky || back["n"] != float64(42) || back["big"] != float64(-7) || back["num"] != 1.25 {
		t.Fatalf("round trip %v", back)
	}
	if want := `{"k":"a\"b\\c\u000a\u0009\u0001 直播 <&> ` + "\u2028" + `","n":42,"big":-7,"num":1.250}`; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if got := jsonObject("bad", "\xff"); got != `{"bad":"\ufffd"}` {
		t.Fatalf("invalid UTF-8: %s", got)
	}
}
