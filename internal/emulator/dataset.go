package emulator

import (
	"slices"
	"sort"
	"sync"
	"time"
)

// Notify holds the fields both callback-record APIs return for one callback.
// NotifyTime is kept as a time.Time (UTC, whole seconds) and rendered in
// TimeLayout on the wire.
type Notify struct {
	// ID is assigned by the emulator when the record is stored, in insertion
	// order. It breaks NotifyTime ties so that the order is total and stable
	// across pages; values set by callers of Add* are ignored.
	ID int64

	DomainName     string
	AppName        string
	StreamName     string
	NotifyTime     time.Time
	NotifyType     string
	NotifyResult   string // "success" or "failed"
	Description    string
	NotifyURL      string // NotifyUrl on the wire
	NotifyContent  string
	NotifyHeader   string
	NotifyResponse string
}

// RecordCallback is one record of DescribeLiveRecordNotifyRecords.
type RecordCallback struct {
	Notify
	// StorageType is where the recording is stored ("oss" or "vod"). The
	// SDK exposes it as a request filter and a response field although the
	// API document does not list it.
	StorageType string
}

// StreamRecord is one record of DescribeLiveStreamsNotifyRecords.
type StreamRecord struct {
	Notify
}

func (r *RecordCallback) notify() *Notify { return &r.Notify }
func (r *StreamRecord) notify() *Notify   { return &r.Notify }

// recordPtr lets the generic store reach the shared Notify part of either
// record type without reflection.
type recordPtr[T any] interface {
	*T
	notify() *Notify
}

// apiBefore reports whether a sorts before b in API order: newest NotifyTime
// first, ties broken by the higher (later inserted) ID first. The real API
// does not document its tie-break; a stable total order is what clients
// paging through results need, so this is the emulator's choice.
func apiBefore(a, b *Notify) bool {
	if !a.NotifyTime.Equal(b.NotifyTime) {
		return a.NotifyTime.After(b.NotifyTime)
	}
	return a.ID > b.ID
}

// series holds one kind of record, indexed by domain, each domain's slice
// kept in API order. A query on DomainName plus a time window is then two
// binary searches and a sub-slice, whatever the domain's size.
type series[T any, P recordPtr[T]] struct {
	byDomain map[string][]T
}

func newSeries[T any, P recordPtr[T]]() series[T, P] {
	return series[T, P]{byDomain: make(map[string][]T)}
}

// add stores already-normalised records and restores API order in every
// domain it touched.
func (s *series[T, P]) add(recs []T) {
	counts := make(map[string]int)
	for i := range recs {
		counts[P(&recs[i]).notify().DomainName]++
	}
	for d, n := range counts {
		s.byDomain[d] = slices.Grow(s.byDomain[d], n)
	}
	for i := range recs {
		d := P(&recs[i]).notify().DomainName
		s.byDomain[d] = append(s.byDomain[d], recs[i])
	}
	for d := range counts {
		list := s.byDomain[d]
		sort.Slice(list, func(i, j int) bool {
			return apiBefore(P(&list[i]).notify(), P(&list[j]).notify())
		})
	}
}

// window returns, without copying, the records of domain with
// start <= NotifyTime < end, in API order.
func (s *series[T, P]) window(domain string, start, end time.Time) []T {
	list := s.byDomain[domain]
	// list is sorted by NotifyTime descending: records newer than or at end
	// come first, records older than start come last.
	from := sort.Search(len(list), func(i int) bool { return P(&list[i]).notify().NotifyTime.Before(end) })
	to := sort.Search(len(list), func(i int) bool { return P(&list[i]).notify().NotifyTime.Before(start) })
	if to < from {
		to = from
	}
	return list[from:to]
}

// newest returns the NotifyTime of the domain's newest record.
func (s *series[T, P]) newest(domain string) (time.Time, bool) {
	list := s.byDomain[domain]
	if len(list) == 0 {
		return time.Time{}, false
	}
	return P(&list[0]).notify().NotifyTime, true
}

func (s *series[T, P]) domains() []string {
	out := make([]string, 0, len(s.byDomain))
	for d := range s.byDomain {
		out = append(out, d)
	}
	return out
}

// dataset is the emulator's state: both record kinds behind one RWMutex so
// that concurrent page requests share a read lock and insertions (Add*,
// InsertDuringRead) are atomic with respect to them.
type dataset struct {
	mu      sync.RWMutex
	lastID  int64
	records series[RecordCallback, *RecordCallback]
	streams series[StreamRecord, *StreamRecord]
}

func newDataset() *dataset {
	return &dataset{
		records: newSeries[RecordCallback](),
		streams: newSeries[StreamRecord](),
	}
}

// insert copies recs, assigns IDs in argument order, normalises NotifyTime
// to UTC whole seconds (the wire has no sub-second precision, and filtering
// must agree with what clients see) and stores them.
func insert[T any, P recordPtr[T]](ds *dataset, s *series[T, P], recs []T) {
	if len(recs) == 0 {
		return
	}
	recs = slices.Clone(recs)
	ds.mu.Lock()
	defer ds.mu.Unlock()
	insertLocked(ds, s, recs)
}

// insertLocked is insert for callers that hold ds.mu and own recs.
func insertLocked[T any, P recordPtr[T]](ds *dataset, s *series[T, P], recs []T) {
	for i := range recs {
		n := P(&recs[i]).notify()
		ds.lastID++
		n.ID = ds.lastID
		n.NotifyTime = n.NotifyTime.UTC().Truncate(time.Second)
	}
	s.add(recs)
}

// snapshot returns a copy of a domain's records in API order.
func snapshot[T any, P recordPtr[T]](ds *dataset, s *series[T, P], domain string) []T {
	ds.mu.RLock()
	defer ds.mu.RUnlock()
	return slices.Clone(s.byDomain[domain])
}

// AddRecordCallbacks stores records for DescribeLiveRecordNotifyRecords.
// IDs are assigned by the emulator; NotifyTime is truncated to UTC seconds.
// A record with an empty DomainName can never be returned.
func (s *Server) AddRecordCallbacks(recs ...RecordCallback) {
	insert(s.data, &s.data.records, recs)
}

// AddStreamRecords stores records for DescribeLiveStreamsNotifyRecords.
func (s *Server) AddStreamRecords(recs ...StreamRecord) {
	insert(s.data, &s.data.streams, recs)
}

// RecordCallbacks returns a copy of the domain's recording callbacks in API
// order (newest first, ties by ID descending), i.e. exactly the order in
// which an unfiltered query over the whole window pages through them.
func (s *Server) RecordCallbacks(domain string) []RecordCallback {
	return snapshot(s.data, &s.data.records, domain)
}

// StreamRecords returns a copy of the domain's stream ingest callbacks in
// API order.
func (s *Server) StreamRecords(domain string) []StreamRecord {
	return snapshot(s.data, &s.data.streams, domain)
}

// Domains returns every domain holding records of either kind, sorted.
func (s *Server) Domains() []string {
	s.data.mu.RLock()
	defer s.data.mu.RUnlock()
	all := append(s.data.records.domains(), s.data.streams.domains()...)
	slices.Sort(all)
	return slices.Compact(all)
}
