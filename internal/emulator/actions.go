package emulator

import (
	"math/rand/v2"
	"time"
)

// endpoint is the per-action tail of the request pipeline: it receives
// authenticated parameters and returns the success body or an API error.
type endpoint interface {
	serve(s *Server, params map[string]string, requestID string) (any, *APIError)
}

// action is an endpoint over one record kind. Everything that differs
// between the two operations is a field; validation, filtering, paging and
// the InsertDuringRead hook are shared code below.
type action[T any, P recordPtr[T]] struct {
	vocab *vocabulary
	// hasCode: the action's document returns Code and Msg, so the
	// FlaggedAnswer fault applies to it.
	hasCode bool
	// series selects the record kind in the data set.
	series func(*dataset) *series[T, P]
	// filter returns an extra predicate for the query, or nil when the
	// query sets no action-specific filter.
	filter func(q *query) func(*T) bool
	// synth builds a record matching q at time t (InsertDuringRead).
	synth func(g *generator, q *query, t time.Time, seq int64) T
	// encode renders one page as the action's documented response body.
	encode func(items []T, pg pageInfo) any
}

// pageInfo carries the paging fields every response echoes.
type pageInfo struct {
	requestID  string
	pageNumber int
	pageSize   int
	totalNum   int
	totalPage  int
	// code and msg are the record action's Code and Msg (0 and "ok" unless
	// the FlaggedAnswer fault fires).
	code int
	msg  string
}

func (a *action[T, P]) serve(s *Server, params map[string]string, requestID string) (any, *APIError) {
	q, err := parseQuery(params, a.vocab, s.now().Add(-QueryWindow-s.grace))
	if err != nil {
		return nil, err
	}
	if flag, ok := s.faults.flagged(q.PageNumber); ok && a.hasCode {
		s.stats.fault(FaultFlaggedAnswer)
		return a.encode(nil, pageInfo{requestID: requestID, pageNumber: q.PageNumber, pageSize: q.PageSize,
			code: flag.Code, msg: flag.Msg}), nil
	}
	items, pg := a.page(s.data, &q, s.shuffleTies)
	pg.requestID = requestID
	pg.msg = "ok"
	body := a.encode(items, pg)
	if n := s.faults.pageServed(); n > 0 {
		a.insertNewer(s, &q, n)
	}
	return body, nil
}

// page selects the window by binary search and, only when the query filters
// on more than domain and time, scans that window once. The returned items
// are copies, so encoding can happen outside the lock. With shuffleTies the
// records of each NotifyTime the page touches are drawn in a fresh random
// order of their whole tie group (see Options.ShuffleTies).
func (a *action[T, P]) page(ds *dataset, q *query, shuffleTies bool) ([]T, pageInfo) {
	ds.mu.RLock()
	defer ds.mu.RUnlock()
	win := a.series(ds).window(q.Domain, q.Start, q.End)

	// match lists the positions in win of the matching records; nil means
	// every record matches, which saves the scan.
	var match []int
	if pred := a.predicate(q); pred != nil {
		match = []int{}
		for i := range win {
			if pred(&win[i]) {
				match = append(match, i)
			}
		}
	}
	total := len(win)
	at := func(i int) *T { return &win[i] }
	if match != nil {
		total = len(match)
		at = func(i int) *T { return &win[match[i]] }
	}

	lo := min(total, (q.PageNumber-1)*q.PageSize)
	hi := min(total, lo+q.PageSize)
	from, to := lo, hi
	if shuffleTies && lo < hi {
		// Widen to whole tie groups, so that a group straddling the page
		// edge is shuffled as a whole, as an unordered backend would.
		for from > 0 && sameTime[T, P](at(from-1), at(from)) {
			from--
		}
		for to < total && sameTime[T, P](at(to-1), at(to)) {
			to++
		}
	}
	var items []T
	if from < to {
		items = make([]T, 0, to-from)
	}
	for i := from; i < to; i++ {
		items = append(items, *at(i))
	}
	if shuffleTies {
		shuffleGroups[T, P](items)
	}
	if items != nil {
		items = items[lo-from : hi-from]
	}
	return items, pageInfo{
		pageNumber: q.PageNumber,
		pageSize:   q.PageSize,
		totalNum:   total,
		totalPage:  (total + q.PageSize - 1) / q.PageSize,
	}
}

func sameTime[T any, P recordPtr[T]](a, b *T) bool {
	return P(a).notify().NotifyTime.Equal(P(b).notify().NotifyTime)
}

// shuffleGroups permutes each run of records sharing a NotifyTime.
func shuffleGroups[T any, P recordPtr[T]](items []T) {
	for i := 0; i < len(items); {
		j := i + 1
		for j < len(items) && sameTime[T, P](&items[i], &items[j]) {
			j++
		}
		group := items[i:j]
		rand.Shuffle(len(group), func(x, y int) { group[x], group[y] = group[y], group[x] })
		i = j
	}
}

// predicate combines the shared filters (AppName, StreamName and Status,
// all exact matches) with the action's own; nil means "match everything".
func (a *action[T, P]) predicate(q *query) func(*T) bool {
	var extra func(*T) bool
	if a.filter != nil {
		extra = a.filter(q)
	}
	if q.App == "" && q.Stream == "" && q.Status == "" && extra == nil {
		return nil
	}
	return func(r *T) bool {
		n := P(r).notify()
		return (q.App == "" || n.AppName == q.App) &&
			(q.Stream == "" || n.StreamName == q.Stream) &&
			(q.Status == "" || n.NotifyResult == q.Status) &&
			(extra == nil || extra(r))
	}
}

// insertNewer implements the InsertDuringRead fault: count records matching
// q, newer than every record of the domain, so that the pages after the
// current one shift by count — what a client paging through a live system
// sees. NotifyTimes are kept inside q's window (and therefore at most one
// second before EndTime) so the new records really match the read.
func (a *action[T, P]) insertNewer(s *Server, q *query, count int) {
	// One write lock around "find the newest" and "insert", so that no
	// concurrent insertion can slip in between.
	s.data.mu.Lock()
	defer s.data.mu.Unlock()
	series := a.series(s.data)
	newest, ok := series.newest(q.Domain)
	if !ok {
		newest = q.Start
	}
	last := q.End.Add(-time.Second)
	recs := make([]T, count)
	for i := range recs {
		t := newest.Add(time.Duration(i+1) * time.Second)
		if t.After(last) {
			t = last
		}
		if t.Before(q.Start) {
			t = q.Start
		}
		recs[i] = a.synth(s.gen, q, t, s.faults.nextInsertSeq())
	}
	insertLocked(s.data, series, recs)
	s.stats.inserted(count)
}

// notifyItem is the wire form of the fields both actions return. Field
// order follows the documents' examples.
type notifyItem struct {
	AppName        string `json:"AppName"`
	Description    string `json:"Description"`
	DomainName     string `json:"DomainName"`
	NotifyContent  string `json:"NotifyContent"`
	NotifyResult   string `json:"NotifyResult"`
	NotifyTime     string `json:"NotifyTime"`
	NotifyType     string `json:"NotifyType"`
	NotifyURL      string `json:"NotifyUrl"`
	NotifyHeader   string `json:"NotifyHeader"`
	StreamName     string `json:"StreamName"`
	NotifyResponse string `json:"NotifyResponse"`
}

func itemOf(n *Notify) notifyItem {
	return notifyItem{
		AppName:        n.AppName,
		Description:    n.Description,
		DomainName:     n.DomainName,
		NotifyContent:  n.NotifyContent,
		NotifyResult:   n.NotifyResult,
		NotifyTime:     n.NotifyTime.UTC().Format(TimeLayout),
		NotifyType:     n.NotifyType,
		NotifyURL:      n.NotifyURL,
		NotifyHeader:   n.NotifyHeader,
		StreamName:     n.StreamName,
		NotifyResponse: n.NotifyResponse,
	}
}

// ---- DescribeLiveRecordNotifyRecords ----

type recordItem struct {
	notifyItem
	StorageType string `json:"StorageType"`
}

// recordPage is the documented success body. CallbackList is always
// present, as [] when empty; Code is 0 and Msg "ok" unless the FlaggedAnswer
// fault fires.
type recordPage struct {
	CallbackList []recordItem `json:"CallbackList"`
	Code         int          `json:"Code"`
	Msg          string       `json:"Msg"`
	PageNum      int          `json:"PageNum"`
	PageSize     int          `json:"PageSize"`
	RequestID    string       `json:"RequestId"`
	TotalNum     int          `json:"TotalNum"`
	TotalPage    int          `json:"TotalPage"`
}

func recordAction() endpoint {
	return &action[RecordCallback, *RecordCallback]{
		vocab:   recordVocabulary,
		hasCode: true,
		series:  func(ds *dataset) *series[RecordCallback, *RecordCallback] { return &ds.records },
		filter: func(q *query) func(*RecordCallback) bool {
			if q.StorageType == "" {
				return nil
			}
			// Undocumented parameter: matched exactly, unknown values simply
			// match nothing.
			return func(r *RecordCallback) bool { return r.StorageType == q.StorageType }
		},
		synth: func(g *generator, q *query, t time.Time, seq int64) RecordCallback {
			r := g.rng(q.Domain, "insert", itoa(seq))
			p := g.profile(q.Domain)
			app, stream := g.synthApp(r, p, q)
			return g.recordCallback(r, p, app, stream, "file_created", t, q.Status == "failed", q.StorageType)
		},
		encode: func(items []RecordCallback, pg pageInfo) any {
			list := make([]recordItem, len(items))
			for i := range items {
				list[i] = recordItem{notifyItem: itemOf(&items[i].Notify), StorageType: items[i].StorageType}
			}
			return recordPage{
				CallbackList: list,
				Code:         pg.code,
				Msg:          pg.msg,
				PageNum:      pg.pageNumber,
				PageSize:     pg.pageSize,
				RequestID:    pg.requestID,
				TotalNum:     pg.totalNum,
				TotalPage:    pg.totalPage,
			}
		},
	}
}

// ---- DescribeLiveStreamsNotifyRecords ----

// streamPage is the documented success body. The document's table calls
// NotifyRecordsInfo an array but its example (and the SDK model) make it an
// object wrapping the LiveStreamNotifyRecordsInfo array; the example wins.
// NotifyHeader and NotifyResponse are not in the document but are in the v3
// SDK model, so they are always sent.
type streamPage struct {
	NotifyRecordsInfo struct {
		LiveStreamNotifyRecordsInfo []notifyItem `json:"LiveStreamNotifyRecordsInfo"`
	} `json:"NotifyRecordsInfo"`
	PageNum   int    `json:"PageNum"`
	PageSize  int    `json:"PageSize"`
	RequestID string `json:"RequestId"`
	TotalNum  int    `json:"TotalNum"`
	TotalPage int    `json:"TotalPage"`
}

func streamAction() endpoint {
	return &action[StreamRecord, *StreamRecord]{
		vocab:  streamVocabulary,
		series: func(ds *dataset) *series[StreamRecord, *StreamRecord] { return &ds.streams },
		// StorageType is not a parameter of this action: ignored, like any
		// unknown parameter.
		synth: func(g *generator, q *query, t time.Time, seq int64) StreamRecord {
			r := g.rng(q.Domain, "insert", itoa(seq))
			p := g.profile(q.Domain)
			app, stream := g.synthApp(r, p, q)
			return g.streamRecord(r, p, app, stream, "publish", t, q.Status == "failed")
		},
		encode: func(items []StreamRecord, pg pageInfo) any {
			var body streamPage
			list := make([]notifyItem, len(items))
			for i := range items {
				list[i] = itemOf(&items[i].Notify)
			}
			body.NotifyRecordsInfo.LiveStreamNotifyRecordsInfo = list
			body.PageNum = pg.pageNumber
			body.PageSize = pg.pageSize
			body.RequestID = pg.requestID
			body.TotalNum = pg.totalNum
			body.TotalPage = pg.totalPage
			return body
		},
	}
}
