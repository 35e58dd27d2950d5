local t = require "steward.test"
local time = require "steward.time"

t.case("parse: a date is midnight UTC", function()
  t.eq(time.parse("2026-11-26"), 1795651200, "2026-11-26")
end)

t.case("parse: a time with an offset is converted to UTC", function()
  t.eq(time.parse("2026-11-26T02:00:00+02:00"), 1795651200, "offset")
end)

t.case("parse: impossible dates and non-strings are nil", function()
  t.eq(time.parse("2026-02-29"), nil, "not a leap year")
  t.eq(time.parse("yesterday"), nil, "words")
  t.eq(time.parse(42), nil, "a number")
end)

t.case("format round-trips", function()
  t.eq(time.format(1795651200), "2026-11-26T00:00:00Z", "format")
end)

t.case("age_days counts fractional days", function()
  local now = time.parse("2026-11-26T12:00:00Z")
  t.eq(time.age_days("2026-11-25", now), 1.5, "a day and a half")
  t.eq(time.age_days(nil, now), nil, "no date")
end)

t.case("days_since counts calendar days, whatever the hour", function()
  local now = time.parse("2026-11-26T23:59:59Z")
  t.eq(time.days_since("2025-11-26", now), 365, "a year of days")
  t.eq(time.days_since("2026-11-26T00:00:01Z", now), 0, "same day")
  t.eq(time.days_since("2026-11-25T23:59:59Z", time.parse("2026-11-26")), 1,
       "one second, but the day before")
  t.eq(time.days_since("soon", now), nil, "not a date")
end)
