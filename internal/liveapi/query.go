package liveapi

import (
	"strconv"
	"time"
)

// API limits from the API documents.
const (
	// APIVersion is the ApsaraVideo Live API version both actions belong to.
	APIVersion = "2016-11-01"
	// MaxPageSize is the largest PageSize the API accepts.
	MaxPageSize = 500
	// MaxPageNumber is the largest PageNumber DescribeLiveRecordNotifyRecords
	// accepts (its document: 1 to 100000). See Operation.MaxPageNumber.
	MaxPageNumber = 100000
	// MaxLookback is how far back StartTime may lie, as of the moment the API
	// receives each request.
	MaxLookback = 7 * 24 * time.Hour
	// MaxAPIQPS is the documented per-account request rate of both actions.
	MaxAPIQPS = 100
	// TimeLayout is the API's yyyy-MM-ddTHH:mm:ssZ format, always UTC.
	TimeLayout = "2006-01-02T15:04:05Z"
)

// Query is the request of either action. Zero values mean "not set".
type Query struct {
	DomainName  string
	AppName     string
	StreamName  string
	Status      string
	StorageType string // DescribeLiveRecordNotifyRecords only.
	// StartTime and EndTime bound the window (NotifyTime from StartTime,
	// before EndTime). The API takes whole seconds: List widens a sub-second
	// window to the whole seconds that cover it and raises StartTime where
	// the 7-day limit requires; Result reports the window sent.
	StartTime time.Time
	EndTime   time.Time
	// PageSize is the number of records per page; 0 means MaxPageSize, so that
	// a full read takes the fewest calls.
	PageSize int
	// PageNumber selects a single page; 0 means "read every page".
	PageNumber int

	// sendBy is when List stops sending the query's requests: shortly
	// before StartTime leaves the API's 7 days (zero: no such bound).
	sendBy time.Time
}

func (q Query) pageSize() int {
	if q.PageSize <= 0 {
		return MaxPageSize
	}
	return q.PageSize
}

// params renders the query for one page as the API's request parameters.
func (q Query) params(regionID string, page int, withStorageType bool) map[string]*string {
	p := map[string]*string{
		"DomainName": ptr(q.DomainName),
		"StartTime":  ptr(q.StartTime.UTC().Format(TimeLayout)),
		"EndTime":    ptr(q.EndTime.UTC().Format(TimeLayout)),
		"PageSize":   ptr(strconv.Itoa(q.pageSize())),
		"PageNumber": ptr(strconv.Itoa(page)),
	}
	if regionID != "" {
		p["RegionId"] = ptr(regionID)
	}
	optional := map[string]string{"AppName": q.AppName, "StreamName": q.StreamName, "Status": q.Status}
	if withStorageType {
		optional["StorageType"] = q.StorageType
	}
	for k, v := range optional {
		if v != "" {
			p[k] = ptr(v)
		}
	}
	return p
}

func ptr[T any](v T) *T { return &v }
