package provider

// How the kept records go into state: encoded once, straight from the
// decoded records, rather than through the framework's reflection.

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// setStateWithRecords sets the state: the model through the framework, and
// the list of the records kept straight from the decoded records, whose string
// attributes recordAttributes gives. The framework's reflection walks a value
// at a time and costs about 1,200 allocations a record, so the list is
// encoded once, as the protocol's msgpack. Under the shim (server.go) that
// encoding reaches the answer after the framework's checks; under the
// framework's own server it is decoded into the state here. Either way a
// failure is a diagnostic.
// listField is the model's field for listName; it is set to a typed null
// for the framework's part.
func setStateWithRecords[T any](ctx context.Context, state *tfsdk.State, model any, listField *types.List, listName string,
	records []T, recordAttributes func(*T, func(name, value string)),
) diag.Diagnostics {
	var diags diag.Diagnostics
	nested, ok := state.Schema.GetAttributes()[listName].(schema.ListNestedAttribute)
	if !ok {
		diags.AddError("Provider bug", fmt.Sprintf("The schema has no nested list %q; please report this.", listName))
		return diags
	}
	elemType := nested.NestedObject.Type()
	objType, ok := elemType.TerraformType(ctx).(tftypes.Object)
	if !ok {
		diags.AddError("Provider bug", fmt.Sprintf("The records of %q are not objects; please report this.", listName))
		return diags
	}
	*listField = types.ListNull(elemType)
	if diags.Append(state.Set(ctx, model)...); diags.HasError() {
		return diags
	}
	encoded, err := encodeRecordList(objType, records, recordAttributes)
	if err != nil {
		diags.AddError("Provider bug", fmt.Sprintf("Encoding %s: %v. Please report this.", listName, err))
		return diags
	}
	listType := tftypes.List{ElementType: objType}
	var list tftypes.Value
	if sink := recordListSinkFrom(ctx); sink != nil {
		sink.list = &recordList{name: listName, msgpack: encoded, stateType: state.Raw.Type()}
		list = tftypes.NewValue(listType, []tftypes.Value{}) // The server puts the records in.
	} else if list, err = (&tfprotov6.DynamicValue{MsgPack: encoded}).Unmarshal(listType); err != nil {
		diags.AddError("Provider bug", fmt.Sprintf("Decoding %s: %v. Please report this.", listName, err))
		return diags
	}
	var attrs map[string]tftypes.Value
	if err := state.Raw.As(&attrs); err != nil {
		diags.AddError("Provider bug", "Reading back the state: "+err.Error())
		return diags
	}
	attrs[listName] = list
	if err := tftypes.ValidateValue(state.Raw.Type(), attrs); err != nil {
		diags.AddError("Provider bug", fmt.Sprintf("Setting %s in the state: %v. Please report this.", listName, err))
		return diags
	}
	state.Raw = tftypes.NewValue(state.Raw.Type(), attrs)
	return diags
}

// encodeRecordList writes the records as the msgpack of a list of objType,
// the layout tftypes gives it: an array of maps whose keys are the attribute
// names in sorted order. Every attribute must be a string, and
// recordAttributes must give each exactly once.
func encodeRecordList[T any](objType tftypes.Object, records []T, recordAttributes func(*T, func(name, value string))) ([]byte, error) {
	names := make([]string, 0, len(objType.AttributeTypes))
	for name, typ := range objType.AttributeTypes {
		if !typ.Is(tftypes.String) {
			return nil, fmt.Errorf("attribute %s is %s, not a string", name, typ)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	pos := make(map[string]int, len(names))
	for i, name := range names {
		pos[name] = i
	}
	var buf bytes.Buffer
	buf.Grow(len(records) * 1024)
	enc := msgpack.NewEncoder(&buf)
	if err := enc.EncodeArrayLen(len(records)); err != nil {
		return nil, err
	}
	values, set := make([]string, len(names)), make([]bool, len(names))
	var unknown string
	put := func(name, value string) {
		i, ok := pos[name]
		if !ok {
			unknown = name
			return
		}
		values[i], set[i] = value, true
	}
	for i := range records {
		clear(set)
		recordAttributes(&records[i], put)
		if unknown != "" {
			return nil, fmt.Errorf("attribute %s is not in the schema", unknown)
		}
		if err := enc.EncodeMapLen(len(names)); err != nil {
			return nil, err
		}
		for j, name := range names {
			if !set[j] {
				return nil, fmt.Errorf("attribute %s has no value", name)
			}
			if err := enc.EncodeString(name); err != nil {
				return nil, err
			}
			if err := enc.EncodeString(values[j]); err != nil {
				return nil, err
			}
		}
	}
	return buf.Bytes(), nil
}

// callbackAttributes gives the attributes both record types share.
func callbackAttributes(c *liveapi.CallbackCommon, put func(name, value string)) {
	put("app_name", c.AppName)
	put("description", c.Description)
	put("domain_name", c.DomainName)
	put("notify_content", c.NotifyContent)
	put("notify_result", c.NotifyResult)
	put("notify_time", c.NotifyTime)
	put("notify_type", c.NotifyType)
	put("notify_url", c.NotifyURL)
	put("notify_header", c.NotifyHeader)
	put("notify_response", c.NotifyResponse)
	put("stream_name", c.StreamName)
}

// The hand-over of an encoded record list from setStateWithRecords to the
// record-list server (server.go), which puts it into the state it answers
// after the framework's checks. The server places a sink in the context of
// each read; without the shim there is none, and setStateWithRecords puts
// the list into the state itself.

// recordList is a record list a Read hands over: the attribute, its value
// as msgpack and the type of the whole state.
type recordList struct {
	name      string
	msgpack   []byte
	stateType tftypes.Type
}

// recordListSink receives the record list of one ReadDataSource call.
type recordListSink struct {
	list *recordList
}

type recordListSinkKey struct{}

func recordListSinkFrom(ctx context.Context) *recordListSink {
	sink, _ := ctx.Value(recordListSinkKey{}).(*recordListSink)
	return sink
}
