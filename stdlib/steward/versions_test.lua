-- Tests of steward.versions: one rule for "the same version".
local t = require "steward.test"
local versions = require "steward.versions"

t.case("same: equal as written, a number and its string alike", function()
  t.eq(versions.same("3.2.0", "3.2.0"), true, "equal strings")
  t.eq(versions.same(5, "5"), true, "a number and the same string")
  t.eq(versions.same("5", 5), true, "either way round")
  t.eq(versions.same("3.2", "3.2.0"), false, "only looks close")
  t.eq(versions.same("1.0 ", "1.0"), false, "a trailing space")
end)

t.case("same: a missing version matches nothing", function()
  t.eq(versions.same(nil, "1"), false, "nil and a version")
  t.eq(versions.same("1", nil), false, "a version and nil")
  t.eq(versions.same(nil, nil), false, "two missing")
end)
