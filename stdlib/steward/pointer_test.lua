-- Tests of steward.pointer: JSON Pointer tokens and list positions.
local t = require "steward.test"
local pointer = require "steward.pointer"

t.case("escape: ~ and / per RFC 6901", function()
  t.eq(pointer.escape("crm.leads"), "crm.leads", "plain")
  t.eq(pointer.escape("a/b~c"), "a~1b~0c", "escaped")
  t.eq(pointer.escape("~1"), "~01", "~ first")
  t.eq(pointer.escape(3), "3", "a number")
end)

t.case("index_of: 0-based, nil when absent", function()
  t.eq(pointer.index_of({ "a", "b" }, "b"), 1, "0-based")
  t.eq(pointer.index_of({ "a", "b", "a" }, "a"), 0, "the first")
  t.eq(pointer.index_of({ "a" }, "z"), nil, "absent")
  t.eq(pointer.index_of(nil, "a"), nil, "no list")
  t.eq(pointer.index_of("a", "a"), nil, "a string is not a list")
end)
