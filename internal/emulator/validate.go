package emulator

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"
)

// query is a validated request: filters plus effective paging.
type query struct {
	Domain      string
	App         string
	Stream      string
	Status      string // "", "success" or "failed"
	StorageType string // record action only
	Start, End  time.Time
	PageSize    int
	PageNumber  int
}

// vocabulary is how one action reports each violated rule. Both actions
// enforce the same rules (they document the same parameters), but each
// documents its own error codes; keeping the rules in one place and the
// codes in a table keeps the two from drifting apart.
type vocabulary struct {
	maxPageNumber int
	// requirePaging: PageSize and PageNumber are required parameters (the
	// record document marks them so); otherwise they default to 20 and 1.
	requirePaging bool
	missing       func(param string) *APIError
	notInteger    func(param, value string) *APIError
	outOfRange    func(param, value string, lo, hi int64) *APIError
	badStatus     func(value string) *APIError
	badTime       func(param, value string) *APIError
	endNotAfter   func() *APIError
	tooOld        func() *APIError
}

// recordVocabulary: DescribeLiveRecordNotifyRecords documents three codes,
// all 400: MissingParams "%s", MalformedParams "%s" and InvalidParams
// "Invalid JSON". The "%s" messages are the emulator's wording; it names the
// parameter and the rule. InvalidParams is used where the backend could not
// even decode a value into its declared type (a non-integer PageSize,
// PageNumber or OwnerId) — the situation its fixed "Invalid JSON" message
// describes.
var recordVocabulary = &vocabulary{
	maxPageNumber: MaxRecordPageNumber,
	requirePaging: true,
	missing: func(param string) *APIError {
		return newError(http.StatusBadRequest, "MissingParams", "%s is mandatory for this action.", param)
	},
	notInteger: func(string, string) *APIError {
		return newError(http.StatusBadRequest, "InvalidParams", "Invalid JSON")
	},
	outOfRange: func(param, value string, lo, hi int64) *APIError {
		return newError(http.StatusBadRequest, "MalformedParams",
			"%s must be an integer from %d to %d, got %s.", param, lo, hi, value)
	},
	badStatus: func(value string) *APIError {
		return newError(http.StatusBadRequest, "MalformedParams",
			`Status must be "success" or "failed", got %q.`, value)
	},
	badTime: func(param, value string) *APIError {
		return newError(http.StatusBadRequest, "MalformedParams",
			"%s must be a UTC time in the yyyy-MM-ddTHH:mm:ssZ format, got %q.", param, value)
	},
	endNotAfter: func() *APIError {
		return newError(http.StatusBadRequest, "MalformedParams", "EndTime must be later than StartTime.")
	},
	tooOld: func() *APIError {
		return newError(http.StatusBadRequest, "MalformedParams", "StartTime must be within the last 7 days.")
	},
}

// streamVocabulary: DescribeLiveStreamsNotifyRecords documents dedicated
// codes for the time rules and one catch-all, 400 InvalidParam "Parameter
// invalid.", for everything else. Messages are the documented ones verbatim.
var streamVocabulary = &vocabulary{
	maxPageNumber: MaxStreamPageNumber,
	missing:       func(string) *APIError { return errInvalidParam() },
	notInteger:    func(string, string) *APIError { return errInvalidParam() },
	outOfRange:    func(string, string, int64, int64) *APIError { return errInvalidParam() },
	badStatus:     func(string) *APIError { return errInvalidParam() },
	badTime: func(param, _ string) *APIError {
		if param == "EndTime" {
			return newError(http.StatusBadRequest, "InvalidEndTime.Malformed", "Specified parameter EndTime is not valid.")
		}
		return newError(http.StatusBadRequest, "InvalidStartTime.Malformed", "Specified parameter StartTime is not valid.")
	},
	endNotAfter: func() *APIError {
		return newError(http.StatusBadRequest, "InvalidEndTime.Mismatch",
			"Specified EndTime does not match the specified StartTime.")
	},
	tooOld: func() *APIError {
		return newError(http.StatusBadRequest, "Duration.Exceed", "StartTime needs to be within the last 7 days.")
	},
}

func errInvalidParam() *APIError {
	return newError(http.StatusBadRequest, "InvalidParam", "Parameter invalid.")
}

// parseQuery applies the documented parameter rules in a fixed order —
// required parameters, integers, Status, time formats, time relations — so
// that a request breaking several rules always gets the same answer.
// Empty values count as absent: that is how the SDK serialises an empty
// string, and a required parameter given as "" is as missing as an absent
// one. RegionId is accepted and ignored (the data set is not regional).
// oldest is the earliest StartTime accepted ("within the last 7 days" as of
// the request, plus any configured grace).
func parseQuery(params map[string]string, v *vocabulary, oldest time.Time) (query, *APIError) {
	q := query{
		Domain:      params["DomainName"],
		App:         params["AppName"],
		Stream:      params["StreamName"],
		Status:      params["Status"],
		StorageType: params["StorageType"],
		PageSize:    DefaultPageSize,
		PageNumber:  DefaultPageNumber,
	}
	required := []string{"DomainName", "StartTime", "EndTime"}
	if v.requirePaging {
		required = append(required, "PageSize", "PageNumber")
	}
	for _, required := range required {
		if params[required] == "" {
			return q, v.missing(required)
		}
	}

	ints := []struct {
		name   string
		lo, hi int64
		dst    *int
	}{
		{"PageSize", 1, MaxPageSize, &q.PageSize},
		{"PageNumber", 1, int64(v.maxPageNumber), &q.PageNumber},
		{"OwnerId", math.MinInt64, math.MaxInt64, nil},
	}
	for _, p := range ints {
		raw := params[p.name]
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return q, v.notInteger(p.name, raw)
		}
		if err != nil || n < p.lo || n > p.hi {
			return q, v.outOfRange(p.name, raw, p.lo, p.hi)
		}
		if p.dst != nil {
			*p.dst = int(n)
		}
	}

	if q.Status != "" && q.Status != "success" && q.Status != "failed" {
		return q, v.badStatus(q.Status)
	}

	var ok bool
	if q.Start, ok = parseUTC(params["StartTime"]); !ok {
		return q, v.badTime("StartTime", params["StartTime"])
	}
	if q.End, ok = parseUTC(params["EndTime"]); !ok {
		return q, v.badTime("EndTime", params["EndTime"])
	}
	if !q.End.After(q.Start) {
		return q, v.endNotAfter()
	}
	if q.Start.Before(oldest) {
		return q, v.tooOld()
	}
	return q, nil
}

// parseUTC accepts exactly yyyy-MM-ddTHH:mm:ssZ. time.Parse alone is too
// lenient for that: it accepts fractional seconds the layout does not
// mention, so the length and a round trip are checked as well.
func parseUTC(s string) (time.Time, bool) {
	if len(s) != len(TimeLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(TimeLayout, s)
	if err != nil || t.Format(TimeLayout) != s {
		return time.Time{}, false
	}
	return t, true
}
