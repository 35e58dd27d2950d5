/*
 * test_patch.c - change sets (core/patch.c): RFC 6901 pointers, RFC 6902
 * JSON Patch (every Appendix A example), RFC 7386 merge patch (every
 * Appendix A row), exact error messages and all-or-nothing application.
 *
 * Expected documents are compared with cJSON_Compare, not with the module's
 * own st_patch_equal, so a bug in that function cannot hide another.
 */
#include "patch.h"
#include "t.h"

#include <stdlib.h>

/* Fixtures are written with ' for " so they stay readable in C; none of
 * them needs a real apostrophe. A fixture that does not parse fails the
 * test instead of passing NULL along. */
static cJSON *J(const char *text)
{
    size_t n = strlen(text) + 1;
    char *copy = malloc(n);
    cJSON *v = NULL;
    if (copy) {
        for (size_t i = 0; i < n; i++)
            copy[i] = text[i] == '\'' ? '"' : text[i];
        v = cJSON_Parse(copy);
        free(copy);
    }
    if (!v)
        T_FAILF("fixture does not parse: %s", text);
    return v;
}

static void show(const char *label, const cJSON *v)
{
    char *s = v ? cJSON_PrintUnformatted(v) : NULL;
    fprintf(stderr, "    %s %s\n", label, s ? s : "(null)");
    free(s);
}

/* st_patch_apply(doc, change) succeeds and gives want. */
static int applies(const char *doc, const char *change, const char *want)
{
    cJSON *d = J(doc), *c = J(change), *w = J(want);
    char err[512] = "";
    int ok = d && c && w && st_patch_apply(&d, c, err, sizeof err) == 0
        && cJSON_Compare(d, w, 1);
    if (!ok) {
        fprintf(stderr, "    error \"%s\"\n", err);
        show("got ", d);
        show("want", w);
    }
    cJSON_Delete(d);
    cJSON_Delete(c);
    cJSON_Delete(w);
    return ok;
}

/* st_patch_apply(doc, change) fails with exactly the message want and
 * leaves the document at the same address, byte-identical. */
static int fails(const char *doc, const char *change, const char *want)
{
    cJSON *d = J(doc), *c = J(change), *before = d;
    char err[512] = "";
    char *text = d ? cJSON_PrintUnformatted(d) : NULL, *after;
    int rc = st_patch_apply(&d, c, err, sizeof err);
    int ok;
    after = d ? cJSON_PrintUnformatted(d) : NULL;
    ok = rc == -1 && strcmp(err, want) == 0 && d == before && text && after
        && strcmp(text, after) == 0;
    if (!ok)
        fprintf(stderr, "    rc %d error \"%s\"\n    want \"%s\"\n    doc %s -> %s\n",
                rc, err, want, text ? text : "(null)", after ? after : "(null)");
    free(text);
    free(after);
    cJSON_Delete(d);
    cJSON_Delete(c);
    return ok;
}

/* st_patch_apply(doc, change) succeeds and prints exactly as want does:
 * for documents with duplicate names, which cJSON_Compare cannot judge
 * (it looks each member up by name, always finding the first). */
static int applies_exact(const char *doc, const char *change, const char *want)
{
    cJSON *d = J(doc), *c = J(change), *w = J(want);
    char err[512] = "";
    char *got = NULL, *exp = w ? cJSON_PrintUnformatted(w) : NULL;
    int ok = d && c && exp && st_patch_apply(&d, c, err, sizeof err) == 0
        && (got = cJSON_PrintUnformatted(d)) != NULL && strcmp(got, exp) == 0;
    if (!ok)
        fprintf(stderr, "    error \"%s\"\n    got  %s\n    want %s\n", err,
                got ? got : "(null)", exp ? exp : "(null)");
    free(got);
    free(exp);
    cJSON_Delete(d);
    cJSON_Delete(c);
    cJSON_Delete(w);
    return ok;
}

/* st_patch_merge(orig, patch) gives want: the merge-patch entry point, as
 * non-object patches (null, "bar", arrays) are merge patches too. */
static int merges(const char *orig, const char *patch, const char *want)
{
    cJSON *d = J(orig), *p = J(patch), *w = J(want);
    int ok = d && p && w && st_patch_merge(&d, p) == 0 && cJSON_Compare(d, w, 1);
    if (!ok) {
        show("got ", d);
        show("want", w);
    }
    cJSON_Delete(d);
    cJSON_Delete(p);
    cJSON_Delete(w);
    return ok;
}

/* ---- RFC 6902 Appendix A --------------------------------------------- */

static void test_rfc6902_a01_add_object_member(void)
{
    T_CHECK(applies("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]",
                    "{'baz':'qux','foo':'bar'}"));
}

static void test_rfc6902_a02_add_array_element(void)
{
    T_CHECK(applies("{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]",
                    "{'foo':['bar','qux','baz']}"));
}

static void test_rfc6902_a03_remove_object_member(void)
{
    T_CHECK(applies("{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]",
                    "{'foo':'bar'}"));
}

static void test_rfc6902_a04_remove_array_element(void)
{
    T_CHECK(applies("{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]",
                    "{'foo':['bar','baz']}"));
}

static void test_rfc6902_a05_replace_value(void)
{
    T_CHECK(applies("{'baz':'qux','foo':'bar'}",
                    "[{'op':'replace','path':'/baz','value':'boo'}]",
                    "{'baz':'boo','foo':'bar'}"));
}

static void test_rfc6902_a06_move_value(void)
{
    T_CHECK(applies("{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
                    "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]",
                    "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"));
}

static void test_rfc6902_a07_move_array_element(void)
{
    T_CHECK(applies("{'foo':['all','grass','cows','eat']}",
                    "[{'op':'move','from':'/foo/1','path':'/foo/3'}]",
                    "{'foo':['all','cows','eat','grass']}"));
}

static void test_rfc6902_a08_test_success(void)
{
    T_CHECK(applies("{'baz':'qux','foo':['a',2,'c']}",
                    "[{'op':'test','path':'/baz','value':'qux'},"
                    "{'op':'test','path':'/foo/1','value':2}]",
                    "{'baz':'qux','foo':['a',2,'c']}"));
}

static void test_rfc6902_a09_test_error(void)
{
    T_CHECK(fails("{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]",
                  "operation 0 (test) at /baz: test failed"));
}

static void test_rfc6902_a10_add_nested_member_object(void)
{
    T_CHECK(applies("{'foo':'bar'}",
                    "[{'op':'add','path':'/child','value':{'grandchild':{}}}]",
                    "{'foo':'bar','child':{'grandchild':{}}}"));
}

static void test_rfc6902_a11_ignore_unrecognized_elements(void)
{
    T_CHECK(applies("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]",
                    "{'foo':'bar','baz':'qux'}"));
}

static void test_rfc6902_a12_add_to_nonexistent_target(void)
{
    T_CHECK(fails("{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]",
                  "operation 0 (add) at /baz/bat: /baz does not exist"));
}

/* The RFC calls this document invalid: a later "op" must not be ignored. */
static void test_rfc6902_a13_invalid_patch_document(void)
{
    T_CHECK(fails("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','op':'remove'}]",
                  "operation 0 (add) at /baz: duplicate member \"op\""));
}

static void test_rfc6902_a14_escape_ordering(void)
{
    T_CHECK(applies("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]",
                    "{'/':9,'~1':10}"));
}

static void test_rfc6902_a15_compare_strings_and_numbers(void)
{
    T_CHECK(fails("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]",
                  "operation 0 (test) at /~01: test failed"));
}

static void test_rfc6902_a16_add_array_value(void)
{
    T_CHECK(applies("{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]",
                    "{'foo':['bar',['abc','def']]}"));
}

/* ---- RFC 7386 ---------------------------------------------------------- */

static void test_rfc7386_appendix_a(void)
{
    static const char *const rows[][3] = {
        {"{'a':'b'}", "{'a':'c'}", "{'a':'c'}"},
        {"{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}"},
        {"{'a':'b'}", "{'a':null}", "{}"},
        {"{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}"},
        {"{'a':['b']}", "{'a':'c'}", "{'a':'c'}"},
        {"{'a':'c'}", "{'a':['b']}", "{'a':['b']}"},
        {"{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}"},
        {"{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}"},
        {"['a','b']", "['c','d']", "['c','d']"},
        {"{'a':'b'}", "['c']", "['c']"},
        {"{'a':'foo'}", "null", "null"},
        {"{'a':'foo'}", "'bar'", "'bar'"},
        {"{'e':null}", "{'a':1}", "{'e':null,'a':1}"},
        {"[1,2]", "{'a':'b','c':null}", "{'a':'b'}"},
        {"{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (!merges(rows[i][0], rows[i][1], rows[i][2]))
            T_FAILF("row %zu: %s + %s", i + 1, rows[i][0], rows[i][1]);
}

/* The worked example of RFC 7386 section 3. */
static void test_rfc7386_section3_example(void)
{
    T_CHECK(merges("{'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},"
                   "'tags':['example','sample'],'content':'This will be unchanged'}",
                   "{'title':'Hello!','phoneNumber':'+01-123-456-7890',"
                   "'author':{'familyName':null},'tags':['example']}",
                   "{'title':'Hello!','author':{'givenName':'John'},'tags':['example'],"
                   "'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}"));
}

/* Objects given to st_patch_apply are merge patches; an object patch over a
 * non-object document starts from {}. */
static void test_merge_via_apply(void)
{
    T_CHECK(applies("{'a':{'b':1,'c':2},'d':[1]}", "{'a':{'b':null,'e':{'f':null}},'d':{'x':1}}",
                    "{'a':{'c':2,'e':{}},'d':{'x':1}}"));
    T_CHECK(applies("[1,2]", "{'a':1}", "{'a':1}"));
    T_CHECK(applies("{'a':1}", "{}", "{'a':1}"));
}

/* Duplicate names: the first patch member is the one that counts, and a
 * null removes every copy of the name in the document. */
static void test_merge_duplicate_keys(void)
{
    T_CHECK(merges("{'a':1}", "{'a':2,'a':3}", "{'a':2}"));
    T_CHECK(merges("{'a':1,'a':2,'b':3}", "{'a':null}", "{'b':3}"));
    T_CHECK(merges("{'a':1}", "{'a':null,'a':5}", "{}"));
}

static void test_merge_null_doc_and_args(void)
{
    cJSON *doc = NULL, *patch = J("{'a':{'b':null,'c':1}}"), *want = J("{'a':{'c':1}}");
    T_EQ_INT(st_patch_merge(&doc, patch), 0);
    T_CHECK(cJSON_Compare(doc, want, 1));
    T_EQ_INT(st_patch_merge(NULL, patch), -1);
    T_EQ_INT(st_patch_merge(&doc, NULL), -1);
    T_CHECK(cJSON_Compare(doc, want, 1));
    cJSON_Delete(doc);
    cJSON_Delete(patch);
    cJSON_Delete(want);
}

/* ---- RFC 6901 ---------------------------------------------------------- */

/* The document of RFC 6901 section 5, with its real quote and backslash. */
static const char rfc6901_doc[] =
    "{\"foo\":[\"bar\",\"baz\"],\"\":0,\"a/b\":1,\"c%d\":2,\"e^f\":3,\"g|h\":4,"
    "\"i\\\\j\":5,\"k\\\"l\":6,\" \":7,\"m~n\":8}";

static void test_rfc6901_examples(void)
{
    static const struct { const char *ptr; int want; } nums[] = {
        {"/", 0}, {"/a~1b", 1}, {"/c%d", 2}, {"/e^f", 3}, {"/g|h", 4},
        {"/i\\j", 5}, {"/k\"l", 6}, {"/ ", 7}, {"/m~0n", 8},
    };
    cJSON *doc = cJSON_Parse(rfc6901_doc), *foo;
    T_CHECK(doc != NULL);
    T_CHECK(st_pointer_get(doc, "") == doc);
    foo = st_pointer_get(doc, "/foo");
    T_CHECK(cJSON_IsArray(foo) && cJSON_GetArraySize(foo) == 2);
    T_CHECK(foo == cJSON_GetObjectItemCaseSensitive(doc, "foo"));
    T_EQ_STR(cJSON_GetStringValue(st_pointer_get(doc, "/foo/0")), "bar");
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        cJSON *v = st_pointer_get(doc, nums[i].ptr);
        if (!cJSON_IsNumber(v) || v->valueint != nums[i].want)
            T_FAILF("pointer %s: expected %d", nums[i].ptr, nums[i].want);
    }
    cJSON_Delete(doc);
}

static void test_pointer_get_rejects(void)
{
    cJSON *doc = J("{'foo':['bar','baz'],'n':1,'~':{'x':true}}");
    static const char *const bad[] = {
        "foo", "/foo/01", "/foo/00", "/foo/-", "/foo/2", "/foo/x", "/foo/-1",
        "/foo/+1", "/foo/", "/n/0", "/missing", "/~", "/~2", "/~/x",
        "/foo/99999999999999999999",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (st_pointer_get(doc, bad[i]) != NULL)
            T_FAILF("pointer %s should resolve to nothing", bad[i]);
    T_CHECK(cJSON_IsTrue(st_pointer_get(doc, "/~0/x")));
    T_EQ_STR(cJSON_GetStringValue(st_pointer_get(doc, "/foo/1")), "baz");
    T_CHECK(st_pointer_get(NULL, "") == NULL);
    T_CHECK(st_pointer_get(doc, NULL) == NULL);
    cJSON_Delete(doc);
}

static void test_pointer_append(void)
{
    char buf[16] = "";
    T_EQ_INT(st_pointer_append(buf, sizeof buf, "models"), 0);
    T_EQ_STR(buf, "/models");
    T_EQ_INT(st_pointer_append(buf, sizeof buf, "a/b~"), 0);
    T_EQ_STR(buf, "/models/a~1b~0");
    /* 14 chars used, 16 bytes: "/" alone would fit, "/x" would not. */
    T_EQ_INT(st_pointer_append(buf, sizeof buf, "x"), -1);
    T_EQ_STR(buf, "/models/a~1b~0");
    T_EQ_INT(st_pointer_append(buf, sizeof buf, ""), 0);
    T_EQ_STR(buf, "/models/a~1b~0/");
    T_EQ_INT(st_pointer_append(buf, sizeof buf, ""), -1);
    T_EQ_INT(st_pointer_append(NULL, 4, "x"), -1);
    T_EQ_INT(st_pointer_append(buf, 0, "x"), -1);
}

/* Escaping then resolving gives back the member for awkward names. */
static void test_pointer_round_trip(void)
{
    static const char *const names[] = {"a/b", "~1", "~", "/", "", " ", "m~0n"};
    cJSON *doc = cJSON_CreateObject();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        cJSON_AddNumberToObject(doc, names[i], (double)i);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char ptr[32] = "";
        cJSON *v;
        T_EQ_INT(st_pointer_append(ptr, sizeof ptr, names[i]), 0);
        v = st_pointer_get(doc, ptr);
        if (!cJSON_IsNumber(v) || v->valueint != (int)i)
            T_FAILF("name \"%s\" via pointer \"%s\"", names[i], ptr);
    }
    cJSON_Delete(doc);
}

/* ---- operation semantics ---------------------------------------------- */

static void test_add_semantics(void)
{
    /* add to an existing member replaces it, in place */
    T_CHECK(applies("{'a':1,'b':2}", "[{'op':'add','path':'/a','value':[3]}]", "{'a':[3],'b':2}"));
    /* index equal to the size appends; "-" appends */
    T_CHECK(applies("[1,2]", "[{'op':'add','path':'/2','value':3},{'op':'add','path':'/-','value':4}]",
                    "[1,2,3,4]"));
    T_CHECK(applies("[1,2]", "[{'op':'add','path':'/0','value':0}]", "[0,1,2]"));
    /* inserts at the head and in the middle keep the list sound for the
     * appends and removals that follow (cJSON finds the tail via child) */
    T_CHECK(applies("[1,3]",
                    "[{'op':'add','path':'/0','value':0},{'op':'add','path':'/2','value':2},"
                    "{'op':'add','path':'/-','value':4},{'op':'remove','path':'/4'},"
                    "{'op':'add','path':'/-','value':5},{'op':'remove','path':'/0'},"
                    "{'op':'add','path':'/0','value':'h'},{'op':'add','path':'/5','value':'t'}]",
                    "['h',1,2,3,5,'t']"));
    /* the empty path replaces the whole document */
    T_CHECK(applies("{'a':1}", "[{'op':'add','path':'','value':[1]}]", "[1]"));
    /* the empty member name is an ordinary name */
    T_CHECK(applies("{}", "[{'op':'add','path':'/','value':null}]", "{'':null}"));
    T_CHECK(applies("[]", "[{'op':'add','path':'/-','value':{'k':'v'}}]", "[{'k':'v'}]"));
}

static void test_remove_replace_semantics(void)
{
    T_CHECK(applies("{'a':{'b':[1,2,3]}}", "[{'op':'remove','path':'/a/b/2'}]", "{'a':{'b':[1,2]}}"));
    T_CHECK(applies("{'a':1}", "[{'op':'replace','path':'','value':'x'}]", "'x'"));
    T_CHECK(applies("[1,2,3]", "[{'op':'replace','path':'/1','value':{'z':0}}]", "[1,{'z':0},3]"));
    T_CHECK(applies("{'a':1,'b':2}", "[{'op':'replace','path':'/b','value':null}]",
                    "{'a':1,'b':null}"));
}

static void test_move_copy_semantics(void)
{
    /* moving onto itself changes nothing; "/a" is no prefix of "/ab" */
    T_CHECK(applies("{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a'}]", "{'a':{'b':1}}"));
    T_CHECK(applies("{'a':1}", "[{'op':'move','from':'/a','path':'/ab'}]", "{'ab':1}"));
    /* move out of a member into its parent */
    T_CHECK(applies("{'a':{'b':{'c':1}}}", "[{'op':'move','from':'/a/b','path':'/a'}]",
                    "{'a':{'c':1}}"));
    T_CHECK(applies("[1,2,3]", "[{'op':'move','from':'/2','path':'/0'}]", "[3,1,2]"));
    /* copy duplicates, even the whole document into itself */
    T_CHECK(applies("{'a':{'x':[1]}}", "[{'op':'copy','from':'/a','path':'/b'}]",
                    "{'a':{'x':[1]},'b':{'x':[1]}}"));
    T_CHECK(applies("{'a':1}", "[{'op':'copy','from':'','path':'/self'}]",
                    "{'a':1,'self':{'a':1}}"));
    T_CHECK(applies("{'l':[1,2]}", "[{'op':'copy','from':'/l/0','path':'/l/-'}]", "{'l':[1,2,1]}"));
}

/* Value equality for test: numbers by value, objects in any order. */
static void test_test_equality(void)
{
    T_CHECK(applies("{'n':1}", "[{'op':'test','path':'/n','value':1.0}]", "{'n':1}"));
    T_CHECK(applies("{'n':100}", "[{'op':'test','path':'/n','value':1e2}]", "{'n':100}"));
    T_CHECK(applies("{'o':{'a':1,'b':[true,null]}}",
                    "[{'op':'test','path':'/o','value':{'b':[true,null],'a':1.0}}]",
                    "{'o':{'a':1,'b':[true,null]}}"));
    T_CHECK(applies("[1]", "[{'op':'test','path':'','value':[1]}]", "[1]"));
    T_CHECK(fails("{'o':{'a':1}}", "[{'op':'test','path':'/o','value':{'a':1,'b':2}}]",
                  "operation 0 (test) at /o: test failed"));
    T_CHECK(fails("{'a':[1,2]}", "[{'op':'test','path':'/a','value':[2,1]}]",
                  "operation 0 (test) at /a: test failed"));
    T_CHECK(fails("{'a':null}", "[{'op':'test','path':'/a','value':false}]",
                  "operation 0 (test) at /a: test failed"));
}

static void test_equal_function(void)
{
    static const char *const same[][2] = {
        {"1", "1.0"}, {"-0", "0"}, {"1e2", "100"}, {"0.1", "1e-1"}, {"{'a':1,'b':2}", "{'b':2,'a':1}"},
        {"{'a':1,'a':2}", "{'a':1}"}, {"[[],{}]", "[[],{}]"}, {"'x'", "'x'"},
    };
    static const char *const differ[][2] = {
        {"1", "'1'"}, {"0.5", "0.25"}, {"1", "1.000001"}, {"true", "false"}, {"null", "false"}, {"[1]", "[1,1]"},
        {"{'a':1}", "{'a':1,'b':1}"}, {"{'a':1,'a':2}", "{'a':2}"}, {"'a'", "'A'"},
        {"{}", "[]"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        cJSON *a = J(same[i][0]), *b = J(same[i][1]);
        if (!st_patch_equal(a, b) || !st_patch_equal(b, a))
            T_FAILF("%s should equal %s", same[i][0], same[i][1]);
        cJSON_Delete(a);
        cJSON_Delete(b);
    }
    for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
        cJSON *a = J(differ[i][0]), *b = J(differ[i][1]);
        if (st_patch_equal(a, b) || st_patch_equal(b, a))
            T_FAILF("%s should differ from %s", differ[i][0], differ[i][1]);
        cJSON_Delete(a);
        cJSON_Delete(b);
    }
    T_CHECK(st_patch_equal(NULL, NULL));
}

/* cJSON keeps duplicate names: the first is the member, and writing or
 * removing it drops the shadowed copies so the name reads one way. */
static void test_duplicate_keys_in_document(void)
{
    T_CHECK(applies_exact("{'a':1,'a':2}", "[{'op':'test','path':'/a','value':1}]",
                          "{'a':1,'a':2}"));
    T_CHECK(fails("{'a':1,'a':2}", "[{'op':'test','path':'/a','value':2}]",
                  "operation 0 (test) at /a: test failed"));
    T_CHECK(applies_exact("{'a':1,'b':0,'a':2}", "[{'op':'remove','path':'/a'}]", "{'b':0}"));
    T_CHECK(applies_exact("{'a':1,'b':0,'a':2}", "[{'op':'replace','path':'/a','value':3}]",
                          "{'a':3,'b':0}"));
    T_CHECK(applies_exact("{'a':1,'b':0,'a':2}", "[{'op':'add','path':'/a','value':3}]",
                          "{'a':3,'b':0}"));
    T_CHECK(applies_exact("{'a':1,'a':2,'b':0}", "[{'op':'move','from':'/a','path':'/c'}]",
                          "{'b':0,'c':1}"));
    T_CHECK(applies_exact("{'o':{'x':1},'o':{'y':2}}", "{'o':{'z':3}}", "{'o':{'x':1,'z':3}}"));
    T_CHECK(applies_exact("{'a':1,'a':2}", "{'a':7}", "{'a':7}"));
}

/* ---- error messages ----------------------------------------------------- */

static void test_errors_operation_shape(void)
{
    T_CHECK(fails("{}", "[{'op':'frobnicate','path':'/a'}]",
                  "operation 0 (frobnicate) at /a: unknown op \"frobnicate\""));
    T_CHECK(fails("{}", "[{'path':'/a','value':1}]", "operation 0 (?) at /a: missing member \"op\""));
    T_CHECK(fails("{}", "[{'op':'add','value':1}]", "operation 0 (add) at ?: missing member \"path\""));
    T_CHECK(fails("{}", "[{'op':'add','path':'/a'}]", "operation 0 (add) at /a: missing member \"value\""));
    T_CHECK(fails("{'a':1}", "[{'op':'move','path':'/b'}]",
                  "operation 0 (move) at /b: missing member \"from\""));
    T_CHECK(fails("{'a':1}", "[{'op':'copy','path':'/b','from':7}]",
                  "operation 0 (copy) at /b: member \"from\" is not a string"));
    T_CHECK(fails("{}", "[{'op':1,'path':'/a'}]", "operation 0 (?) at /a: member \"op\" is not a string"));
    T_CHECK(fails("{}", "[{'op':'remove','path':['/a']}]",
                  "operation 0 (remove) at ?: member \"path\" is not a string"));
    T_CHECK(fails("{}", "[{'op':'test','path':'','value':{}},'add']",
                  "operation 1 (?) at ?: not a JSON object"));
    T_CHECK(fails("{}", "[{'op':'add','path':'/a','value':1,'value':2}]",
                  "operation 0 (add) at /a: duplicate member \"value\""));
}

static void test_errors_pointers(void)
{
    T_CHECK(fails("{'a':[1]}", "[{'op':'replace','path':'/a/x','value':0}]",
                  "operation 0 (replace) at /a/x: invalid array index \"x\""));
    T_CHECK(fails("{'a':[1,2]}", "[{'op':'remove','path':'/a/01'}]",
                  "operation 0 (remove) at /a/01: invalid array index \"01\": leading zero"));
    T_CHECK(fails("{'a':[1,2]}", "[{'op':'remove','path':'/a/-'}]",
                  "operation 0 (remove) at /a/-: array index \"-\" names no element (only add may append)"));
    T_CHECK(fails("{'a':[1,2]}", "[{'op':'add','path':'/a/3','value':0}]",
                  "operation 0 (add) at /a/3: array index 3 out of range (size 2)"));
    T_CHECK(fails("{'a':[1,2]}", "[{'op':'replace','path':'/a/2','value':0}]",
                  "operation 0 (replace) at /a/2: array index 2 out of range (size 2)"));
    T_CHECK(fails("{'a':1}", "[{'op':'add','path':'a','value':0}]",
                  "operation 0 (add) at a: invalid pointer: must be empty or start with \"/\""));
    T_CHECK(fails("{'a':1}", "[{'op':'add','path':'/a~2','value':0}]",
                  "operation 0 (add) at /a~2: invalid pointer: \"~\" must be followed by \"0\" or \"1\""));
    T_CHECK(fails("{'a':{'b':'s'}}", "[{'op':'add','path':'/a/b/c','value':0}]",
                  "operation 0 (add) at /a/b/c: /a/b is not an object or array"));
    T_CHECK(fails("3", "[{'op':'add','path':'/x','value':0}]",
                  "operation 0 (add) at /x: the document root is not an object or array"));
}

static void test_errors_targets(void)
{
    /* path to a missing parent names the first missing step */
    T_CHECK(fails("{'a':{}}", "[{'op':'add','path':'/a/b/c/d','value':0}]",
                  "operation 0 (add) at /a/b/c/d: /a/b does not exist"));
    T_CHECK(fails("{'a':1}", "[{'op':'remove','path':'/b'}]", "operation 0 (remove) at /b: /b does not exist"));
    T_CHECK(fails("{'a':1}", "[{'op':'replace','path':'/m~1n','value':0}]",
                  "operation 0 (replace) at /m~1n: /m~1n does not exist"));
    T_CHECK(fails("{'a':1}", "[{'op':'remove','path':''}]",
                  "operation 0 (remove) at \"\": cannot remove the whole document"));
    T_CHECK(fails("{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/b/c'}]",
                  "operation 0 (move) at /a/b/c: cannot move /a into its own child"));
    T_CHECK(fails("{'a':1}", "[{'op':'move','from':'','path':'/x'}]",
                  "operation 0 (move) at /x: cannot move \"\" into its own child"));
    T_CHECK(fails("{'a':1}", "[{'op':'copy','from':'/x/y','path':'/b'}]",
                  "operation 0 (copy) at /b: from /x/y: /x does not exist"));
    T_CHECK(fails("{'a':1}", "[{'op':'move','from':'/a','path':'/q/r'}]",
                  "operation 0 (move) at /q/r: /q does not exist"));
    T_CHECK(fails("{'a':1}", "[{'op':'test','path':'/b','value':1}]",
                  "operation 0 (test) at /b: /b does not exist"));
}

static void test_errors_change_set_shape(void)
{
    T_CHECK(fails("{'a':1}", "'text'",
                  "change set: must be a JSON object (merge patch) or array (JSON patch)"));
    T_CHECK(fails("{'a':1}", "null",
                  "change set: must be a JSON object (merge patch) or array (JSON patch)"));
}

/* A small err buffer truncates; NULL err is allowed. */
static void test_error_buffer_limits(void)
{
    cJSON *doc = J("{'a':1}"), *ops = J("[{'op':'remove','path':'/zzz'}]");
    char small[10];
    memset(small, 'x', sizeof small);
    T_EQ_INT(st_patch_apply(&doc, ops, small, sizeof small), -1);
    T_EQ_STR(small, "operation");
    T_EQ_INT(st_patch_apply(&doc, ops, NULL, 0), -1);
    T_EQ_INT(st_patch_json(NULL, ops, NULL, 0), -1);
    T_CHECK(cJSON_IsNumber(st_pointer_get(doc, "/a")));
    cJSON_Delete(doc);
    cJSON_Delete(ops);
}

/* ---- all-or-nothing ------------------------------------------------------ */

static void test_all_or_nothing(void)
{
    const char *doc = "{'a':{'b':[1,2,3]},'c':'keep','d':{'e':null}}";
    /* ops 0 and 1 succeed on the copy; op 2 fails; nothing shows */
    T_CHECK(fails(doc,
                  "[{'op':'remove','path':'/c'},"
                  "{'op':'add','path':'/a/b/0','value':'new'},"
                  "{'op':'replace','path':'/nope','value':1},"
                  "{'op':'add','path':'/z','value':1}]",
                  "operation 2 (replace) at /nope: /nope does not exist"));
    /* even when an earlier op replaced the root */
    T_CHECK(fails(doc, "[{'op':'add','path':'','value':[]},{'op':'test','path':'','value':[]},"
                  "{'op':'test','path':'/a','value':1}]",
                  "operation 2 (test) at /a: invalid array index \"a\""));
}

/* Allocation failure: cJSON's hooks are process-wide, which is fine in
 * this single-threaded binary. The budget counts allocations left before
 * one fails; -1 means no limit. */
static long t_alloc_budget = -1;

static void *t_malloc(size_t n)
{
    if (t_alloc_budget == 0)
        return NULL;
    if (t_alloc_budget > 0)
        t_alloc_budget--;
    return malloc(n);
}

/* One attempt with allocation number k failing: either success with want,
 * or "out of memory" with the document untouched. Returns the rc. */
static int oom_attempt(const char *doc, const char *change, const char *want, long k)
{
    cJSON *d = J(doc), *c = J(change), *w = J(want);
    cJSON_Hooks hooks = {t_malloc, free};
    char err[256] = "", *before = cJSON_PrintUnformatted(d), *after;
    int rc;
    cJSON_InitHooks(&hooks);
    t_alloc_budget = k;
    rc = st_patch_apply(&d, c, err, sizeof err);
    t_alloc_budget = -1;
    cJSON_InitHooks(NULL);
    after = cJSON_PrintUnformatted(d);
    if (rc == 0 && !cJSON_Compare(d, w, 1))
        T_FAILF("allocation %ld: wrong result %s", k, after);
    if (rc != 0 && (!strstr(err, "out of memory") || strcmp(before, after) != 0))
        T_FAILF("allocation %ld: error \"%s\", doc %s", k, err, after);
    free(before);
    free(after);
    cJSON_Delete(d);
    cJSON_Delete(c);
    cJSON_Delete(w);
    return rc;
}

/* Fails each allocation in turn until the change succeeds; ASan and
 * valgrind runs show that no failure path leaks. */
static void oom_sweep(const char *doc, const char *change, const char *want)
{
    long k = 0;
    while (k < 100000 && oom_attempt(doc, change, want, k) != 0)
        k++;
    T_CHECK(k > 0 && k < 100000);
}

static void test_out_of_memory(void)
{
    oom_sweep("{'a':{'b':[1,2,3]},'c':{'d':'e'},'f':1,'f':2}",
              "[{'op':'add','path':'/a/b/1','value':{'x':[1]}},"
              "{'op':'replace','path':'/f','value':'g'},"
              "{'op':'move','from':'/c/d','path':'/a/~1n'},"
              "{'op':'copy','from':'/a/b','path':'/c/b'},"
              "{'op':'test','path':'/a/~1n','value':'e'},"
              "{'op':'remove','path':'/a/b/0'},"
              "{'op':'add','path':'','value':{'root':[{'k':1}]}},"
              "{'op':'add','path':'/root/0/k','value':2}]",
              "{'root':[{'k':2}]}");
    oom_sweep("{'a':{'b':'c','d':[1]},'e':1}",
              "{'a':{'b':null,'d':{'x':{'y':null,'z':1}},'n':[null]},'e':null,'f':{'g':null}}",
              "{'a':{'d':{'x':{'z':1}},'n':[null]},'f':{}}");
}

/* ---- registry-shaped examples ------------------------------------------ */

static const char registry[] =
    "{'owners':{'maria.chen':{'name':'Maria Chen'}},"
    "'models':{'lead-scorer':{'owner':'ml-platform','version':'3.2.0',"
    "'reads':['crm.leads'],'input_schema':{'crm.leads':'5'}}},"
    "'workflows':{'lead-qualification':{'owner':'maria.chen',"
    "'uses':[{'model':'lead-scorer','version':'3.2.0'}]}}}";

static void check_registry_change(const char *change)
{
    cJSON *doc = J(registry), *c = J(change), *want = J(registry);
    char err[256] = "";
    cJSON_ReplaceItemInObjectCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(want, "models"),
                                         "lead-scorer"),
        "version", cJSON_CreateString("4.0.0"));
    T_EQ_INT(st_patch_apply(&doc, c, err, sizeof err), 0);
    T_EQ_STR(err, "");
    T_EQ_STR(cJSON_GetStringValue(st_pointer_get(doc, "/models/lead-scorer/version")), "4.0.0");
    T_EQ_STR(cJSON_GetStringValue(st_pointer_get(doc, "/workflows/lead-qualification/uses/0/version")),
             "3.2.0");
    T_CHECK(cJSON_Compare(doc, want, 1));
    cJSON_Delete(doc);
    cJSON_Delete(c);
    cJSON_Delete(want);
}

static void test_registry_json_patch(void)
{
    check_registry_change("[{'op':'replace','path':'/models/lead-scorer/version','value':'4.0.0'}]");
}

static void test_registry_merge_patch(void)
{
    check_registry_change("{'models':{'lead-scorer':{'version':'4.0.0'}}}");
}

static void test_registry_json_patch_errors(void)
{
    T_CHECK(fails(registry, "[{'op':'replace','path':'/models/lead-scorer/versoin','value':'4.0.0'}]",
                  "operation 0 (replace) at /models/lead-scorer/versoin: "
                  "/models/lead-scorer/versoin does not exist"));
    T_CHECK(fails(registry, "[{'op':'add','path':'/models/churn/version','value':'1.0.0'}]",
                  "operation 0 (add) at /models/churn/version: /models/churn does not exist"));
    T_CHECK(applies(registry,
                    "[{'op':'add','path':'/models/lead-scorer/reads/-','value':'crm.accounts'},"
                    "{'op':'test','path':'/models/lead-scorer/reads','value':['crm.leads','crm.accounts']},"
                    "{'op':'remove','path':'/owners/maria.chen'},"
                    "{'op':'move','from':'/workflows/lead-qualification/owner',"
                    "'path':'/workflows/lead-qualification/steward'}]",
                    "{'owners':{},"
                    "'models':{'lead-scorer':{'owner':'ml-platform','version':'3.2.0',"
                    "'reads':['crm.leads','crm.accounts'],'input_schema':{'crm.leads':'5'}}},"
                    "'workflows':{'lead-qualification':{'steward':'maria.chen',"
                    "'uses':[{'model':'lead-scorer','version':'3.2.0'}]}}}"));
}

T_SUITE(T_CASE(test_rfc6902_a01_add_object_member),
        T_CASE(test_rfc6902_a02_add_array_element),
        T_CASE(test_rfc6902_a03_remove_object_member),
        T_CASE(test_rfc6902_a04_remove_array_element),
        T_CASE(test_rfc6902_a05_replace_value),
        T_CASE(test_rfc6902_a06_move_value),
        T_CASE(test_rfc6902_a07_move_array_element),
        T_CASE(test_rfc6902_a08_test_success),
        T_CASE(test_rfc6902_a09_test_error),
        T_CASE(test_rfc6902_a10_add_nested_member_object),
        T_CASE(test_rfc6902_a11_ignore_unrecognized_elements),
        T_CASE(test_rfc6902_a12_add_to_nonexistent_target),
        T_CASE(test_rfc6902_a13_invalid_patch_document),
        T_CASE(test_rfc6902_a14_escape_ordering),
        T_CASE(test_rfc6902_a15_compare_strings_and_numbers),
        T_CASE(test_rfc6902_a16_add_array_value),
        T_CASE(test_rfc7386_appendix_a),
        T_CASE(test_rfc7386_section3_example),
        T_CASE(test_merge_via_apply),
        T_CASE(test_merge_duplicate_keys),
        T_CASE(test_merge_null_doc_and_args),
        T_CASE(test_rfc6901_examples),
        T_CASE(test_pointer_get_rejects),
        T_CASE(test_pointer_append),
        T_CASE(test_pointer_round_trip),
        T_CASE(test_add_semantics),
        T_CASE(test_remove_replace_semantics),
        T_CASE(test_move_copy_semantics),
        T_CASE(test_test_equality),
        T_CASE(test_equal_function),
        T_CASE(test_duplicate_keys_in_document),
        T_CASE(test_errors_operation_shape),
        T_CASE(test_errors_pointers),
        T_CASE(test_errors_targets),
        T_CASE(test_errors_change_set_shape),
        T_CASE(test_error_buffer_limits),
        T_CASE(test_all_or_nothing),
        T_CASE(test_out_of_memory),
        T_CASE(test_registry_json_patch),
        T_CASE(test_registry_merge_patch),
        T_CASE(test_registry_json_patch_errors))
