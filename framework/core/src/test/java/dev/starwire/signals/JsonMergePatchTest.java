package dev.starwire.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class JsonMergePatchTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // ------------------------------------------------------------ properties

    @Property(tries = 100)
    void applyingTheDiffTurnsBeforeIntoAfter(@ForAll("trees") ObjectNode before, @ForAll("trees") ObjectNode after) {
        JsonNode patch = JsonMergePatch.diff(before, after);
        assertEquals(after, JsonMergePatch.apply(before, patch));
    }

    @Property(tries = 100)
    void applyingAPatchTwiceChangesNothingMore(@ForAll("trees") ObjectNode target, @ForAll("patches") ObjectNode patch) {
        JsonNode once = JsonMergePatch.apply(target, patch);
        assertEquals(once, JsonMergePatch.apply(once, patch));
    }

    @Property(tries = 150)
    void theDiffOfADiffAppliedTwiceIsStillAfter(@ForAll("trees") ObjectNode before, @ForAll("trees") ObjectNode after) {
        JsonNode patch = JsonMergePatch.diff(before, after);
        assertEquals(after, JsonMergePatch.apply(JsonMergePatch.apply(before, patch), patch));
    }

    @Property(tries = 100)
    void theDiffHoldsOnlyWhatChanged(@ForAll("trees") ObjectNode before, @ForAll("trees") ObjectNode after) {
        assertMinimal(before, after, (ObjectNode) JsonMergePatch.diff(before, after));
    }

    @Property(tries = 100)
    void aTreeDiffedWithItselfGivesAnEmptyPatch(@ForAll("trees") ObjectNode tree) {
        assertEquals(NODES.objectNode(), JsonMergePatch.diff(tree, tree.deepCopy()));
    }

    @Property(tries = 150)
    void neitherMethodModifiesItsArguments(@ForAll("trees") ObjectNode before, @ForAll("patches") ObjectNode patch) {
        ObjectNode beforeCopy = before.deepCopy();
        ObjectNode patchCopy = patch.deepCopy();
        JsonNode result = JsonMergePatch.apply(before, patch);
        JsonMergePatch.diff(before, result);
        assertEquals(beforeCopy, before);
        assertEquals(patchCopy, patch);
    }

    @Property(tries = 100)
    void theWeightDeltaPredictsTheWeightAfterApplying(@ForAll("trees") ObjectNode target,
                                                     @ForAll("patches") ObjectNode patch) {
        long predicted = JsonWeight.of(target) + JsonWeight.delta(target, patch);
        assertEquals(JsonWeight.of(JsonMergePatch.apply(target, patch)), predicted);
    }

    @Property(tries = 150)
    void onlyIfMissingKeepsExistingValuesExceptAScalarWhereTheClientPutsAnObject(@ForAll("trees") ObjectNode target,
                                                                                @ForAll("patches") ObjectNode patch) {
        ObjectNode result = target.deepCopy();
        JsonMergePatch.mergeMissingInto(result, patch);
        // what was there is still there, unchanged: the diff from target to result deletes nothing and replaces
        // only a string, number or boolean by an object, as the 1.0.1 client does
        assertNoRemovalOrReplacement((ObjectNode) JsonMergePatch.diff(target, result), target);
        // and doing it again changes nothing more
        ObjectNode again = result.deepCopy();
        assertFalse(JsonMergePatch.mergeMissingInto(again, patch));
        assertEquals(result, again);
    }

    // ------------------------------------------------------------ examples

    @Example
    void removedMembersBecomeNullAndNestedObjectsAreDiffed() throws Exception {
        JsonNode before = json("{\"user\":{\"name\":\"Ana\",\"email\":\"a@x\"},\"n\":1}");
        JsonNode after = json("{\"user\":{\"name\":\"Bo\"},\"n\":1}");
        assertEquals(json("{\"user\":{\"name\":\"Bo\",\"email\":null}}"), JsonMergePatch.diff(before, after));
    }

    @Example
    void arraysAreReplacedWhole() throws Exception {
        assertEquals(json("{\"list\":[1,2,4]}"),
                JsonMergePatch.diff(json("{\"list\":[1,2,3]}"), json("{\"list\":[1,2,4]}")));
        assertEquals(json("{\"list\":[9]}"), JsonMergePatch.apply(json("{\"list\":[1,2]}"), json("{\"list\":[9]}")));
    }

    @Example
    void numbersCompareByValue() throws Exception {
        ObjectNode before = NODES.objectNode().put("n", 1);
        ObjectNode after = NODES.objectNode().put("n", 1L);
        assertEquals(NODES.objectNode(), JsonMergePatch.diff(before, after));
        assertEquals(NODES.objectNode(), JsonMergePatch.diff(NODES.objectNode().put("n", 1.0), after));
        assertEquals(json("{\"n\":1.5}"), JsonMergePatch.diff(before, NODES.objectNode().put("n", 1.5)));
    }

    @Example
    void rfc7386AppendixExamples() throws Exception {
        assertEquals(json("{\"a\":\"z\",\"c\":{\"d\":\"e\"}}"),
                JsonMergePatch.apply(json("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}"),
                        json("{\"a\":\"z\",\"c\":{\"f\":null}}")));
        assertEquals(json("{\"a\":{\"bb\":{}}}"), JsonMergePatch.apply(json("{\"a\":[{\"b\":\"c\"}]}"),
                json("{\"a\":{\"b\":null,\"bb\":{\"ccc\":null}}}")));
        assertEquals(json("[\"c\"]"), JsonMergePatch.apply(json("{\"a\":\"foo\"}"), json("[\"c\"]")));
        assertEquals(json("{\"a\":\"foo\",\"b\":\"bar\"}"), JsonMergePatch.apply(json("{\"a\":\"foo\"}"),
                json("{\"b\":\"bar\"}")));
        assertEquals(json("{\"a\":1}"), JsonMergePatch.apply(json("[1,2]"), json("{\"a\":1,\"b\":null}")));
    }

    @Example
    void aNonObjectOnEitherSideDiffsToTheWholeAfter() throws Exception {
        assertEquals(json("[1]"), JsonMergePatch.diff(json("{\"a\":1}"), json("[1]")));
        assertEquals(json("{\"a\":1}"), JsonMergePatch.diff(json("3"), json("{\"a\":1}")));
    }

    @Example
    void onlyIfMissingSetsAbsentLeavesInsideExistingObjects() throws Exception {
        ObjectNode target = (ObjectNode) json("{\"user\":{\"name\":\"Ana\"},\"n\":1}");
        boolean changed = JsonMergePatch.mergeMissingInto(target,
                (ObjectNode) json("{\"user\":{\"name\":\"X\",\"email\":\"e\"},\"n\":2,\"m\":null,\"t\":\"d\"}"));
        assertTrue(changed);
        assertEquals(json("{\"user\":{\"name\":\"Ana\",\"email\":\"e\"},\"n\":1,\"t\":\"d\"}"), target);
        assertFalse(JsonMergePatch.mergeMissingInto(target, (ObjectNode) json("{\"n\":5}")));
    }

    /** The 1.0.1 client makes room for an object even with onlyIfMissing; the mirror must do the same. */
    @Example
    void onlyIfMissingPutsAnObjectWhereAScalarWasAndKeepsAnArray() throws Exception {
        ObjectNode target = (ObjectNode) json("{\"theme\":\"dark\",\"tags\":[1]}");
        assertTrue(JsonMergePatch.mergeMissingInto(target,
                (ObjectNode) json("{\"theme\":{\"name\":\"dark\",\"x\":null},\"tags\":{\"a\":1}}")));
        assertEquals(json("{\"theme\":{\"name\":\"dark\"},\"tags\":[1]}"), target);
    }

    // ------------------------------------------------------------ generators

    @Provide
    Arbitrary<ObjectNode> trees() {
        return object(3, false);
    }

    @Provide
    Arbitrary<ObjectNode> patches() {
        return object(3, true);
    }

    /** Objects over a small key set, so that before/after/patch overlap often. */
    private static Arbitrary<ObjectNode> object(int depth, boolean withNulls) {
        return Arbitraries.maps(Arbitraries.of("a", "b", "c", "d", "e"), value(depth, withNulls)).ofMaxSize(5)
                .map(JsonMergePatchTest::toObject);
    }

    private static Arbitrary<JsonNode> value(int depth, boolean withNulls) {
        Arbitrary<JsonNode> ints = Arbitraries.integers().between(-2, 2).map(IntNode::valueOf);
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                ints,
                Arbitraries.strings().withChars("xy\n\"").ofMaxLength(3).map(TextNode::valueOf),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE),
                // arrays may hold nulls and objects: they are values, replaced whole
                Arbitraries.oneOf(ints, Arbitraries.just(NullNode.getInstance()))
                        .list().ofMaxSize(3).map(JsonMergePatchTest::toArray));
        if (withNulls) {
            scalars = Arbitraries.frequencyOf(Tuple.of(4, scalars), Tuple.of(1, Arbitraries.just(NullNode.getInstance())));
        }
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<JsonNode> nested = Arbitraries.lazy(() -> object(depth - 1, withNulls).map(o -> (JsonNode) o));
        return Arbitraries.frequencyOf(Tuple.of(3, scalars), Tuple.of(2, nested));
    }

    private static ObjectNode toObject(Map<String, JsonNode> members) {
        ObjectNode o = NODES.objectNode();
        members.forEach(o::set);
        return o;
    }

    private static JsonNode toArray(java.util.List<JsonNode> items) {
        ArrayNode a = NODES.arrayNode();
        items.forEach(a::add);
        return a;
    }

    // ------------------------------------------------------------ assertions

    private static void assertMinimal(ObjectNode before, ObjectNode after, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> f : patch.properties()) {
            String name = f.getKey();
            JsonNode old = before.get(name);
            JsonNode now = after.get(name);
            JsonNode p = f.getValue();
            if (p.isNull()) {
                assertTrue(old != null && now == null, "null only for a removed member: " + name);
            } else if (old != null && old.isObject() && now.isObject()) {
                assertFalse(p.isEmpty(), "an unchanged nested object is left out: " + name);
                assertMinimal((ObjectNode) old, (ObjectNode) now, (ObjectNode) p);
            } else {
                assertTrue(old == null || !JsonMergePatch.same(old, now), "unchanged member left out: " + name);
                assertEquals(now, p);
            }
        }
        for (Map.Entry<String, JsonNode> f : after.properties()) {
            JsonNode old = before.get(f.getKey());
            if (old == null || !old.equals(f.getValue())) {
                assertTrue(patch.has(f.getKey()), "a changed member is in the patch: " + f.getKey());
            }
        }
    }

    private static void assertNoRemovalOrReplacement(ObjectNode diff, ObjectNode target) {
        for (Map.Entry<String, JsonNode> f : diff.properties()) {
            JsonNode old = target.get(f.getKey());
            assertFalse(f.getValue().isNull(), "onlyIfMissing removed " + f.getKey());
            if (old != null && old.isObject() && f.getValue().isObject()) {
                assertNoRemovalOrReplacement((ObjectNode) f.getValue(), (ObjectNode) old);
            } else if (old != null) {
                assertTrue(old.isValueNode() && f.getValue().isObject(), "onlyIfMissing replaced " + f.getKey());
            }
        }
    }

    private static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s);
    }
}
