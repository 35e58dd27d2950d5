-- Tests of steward.evidence: lists cut for evidence, chains as arrows.
local t = require "steward.test"
local evidence = require "steward.evidence"

t.case("cap: the list itself up to max, a cut copy beyond", function()
  local list = { "a", "b", "c" }
  local same, cut = evidence.cap(list, 3)
  t.truthy(rawequal(same, list), "not copied when it fits")
  t.eq(cut, nil, "not cut")
  local short, was_cut = evidence.cap(list, 2)
  t.eq(short, { "a", "b" }, "the first two")
  t.eq(was_cut, true, "cut")
  t.eq(list, { "a", "b", "c" }, "the original is untouched")
end)

t.case("cap: 1,000 items by default", function()
  local list = {}
  for i = 1, 1001 do list[i] = i end
  local out, cut = evidence.cap(list)
  t.eq(evidence.MAX, 1000, "MAX")
  t.eq(#out, 1000, "cut at MAX")
  t.eq(cut, true, "cut")
  list[1001] = nil
  t.eq(select(2, evidence.cap(list)), nil, "exactly MAX fits")
end)

t.case("arrows elides long chains", function()
  t.eq(evidence.arrows({ "a", "b" }), "a -> b", "short")
  t.eq(evidence.arrows({ "1", "2", "3", "4", "5", "6" }, 5),
       "1 -> 2 -> 3 -> ... -> 5 -> 6", "long")
  local twelve, thirteen = {}, {}
  for i = 1, 13 do
    thirteen[i] = "n" .. i
    if i <= 12 then twelve[i] = "n" .. i end
  end
  t.eq(evidence.arrows(twelve), table.concat(twelve, " -> "),
       "12 ids in full by default")
  t.eq(evidence.arrows(thirteen),
       "n1 -> n2 -> n3 -> n4 -> n5 -> n6 -> n7 -> n8 -> n9 -> n10 -> ... "
       .. "-> n12 -> n13", "13 elided")
end)
