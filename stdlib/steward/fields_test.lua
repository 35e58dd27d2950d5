local t = require "steward.test"
local fields = require "steward.fields"

t.case("present: nil and empty strings are absent", function()
  t.eq(fields.present(nil), false, "nil")
  t.eq(fields.present(""), false, "empty string")
  t.eq(fields.present(false), true, "false is a value")
  t.eq(fields.present(0), true, "zero is a value")
end)

t.case("missing: names in the order asked", function()
  t.eq(fields.missing({ b = 1 }, { "a", "b", "c" }), { "a", "c" }, "missing")
  t.eq(fields.missing({ a = 1 }, {}), {}, "nothing asked")
end)
