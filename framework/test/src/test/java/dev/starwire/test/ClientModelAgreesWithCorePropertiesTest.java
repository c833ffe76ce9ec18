package dev.starwire.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.signals.JsonMergePatch;
import dev.starwire.signals.SignalStore;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The kit's model of the client ({@link MergePatch}, {@link SignalPaths}) is written apart from core's server
 * side ({@link JsonMergePatch}, the signal store's paths) on purpose, from the client's behaviour rather than
 * from core's code, so that a mistake in one shows up against the other instead of being copied. These
 * properties make the two agree on every tree: the merge patch, the {@code onlyIfMissing} variant, dotted
 * paths, and, end to end, a signal store's events applied to a page by the kit give the store's own state.
 *
 * <p>Arrays are drawn under a name of their own ({@code list}), never where an object may be patched onto them:
 * that is the one case where the Datastar 1.0.1 client leaves RFC 7386 (it keeps the array, see
 * {@link MergePatch}), and neither side models it.
 */
class ClientModelAgreesWithCorePropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 300)
    void aMergePatchGivesTheSameTreeInCoreAndInTheClientModel(@ForAll("signals") ObjectNode target,
                                                             @ForAll("patches") ObjectNode patch) {
        ObjectNode client = target.deepCopy();
        MergePatch.apply(client, patch, false);
        assertEquals(JsonMergePatch.apply(target, patch), client);
    }

    @Property(tries = 300)
    void onlyIfMissingGivesTheSameTreeInTheStoreAndInTheClientModel(@ForAll("signals") ObjectNode target,
                                                                   @ForAll("patches") ObjectNode defaults) {
        SignalStore store = new SignalStore();
        store.merge(target);
        store.setIfMissing(defaults);
        ObjectNode client = target.deepCopy();
        MergePatch.apply(client, defaults, true);
        assertEquals(client, store.snapshot());
    }

    @Property(tries = 300)
    void aDottedPathReadsAndWritesTheSameSignalInTheStoreAndInTheClientModel(
            @ForAll("signals") ObjectNode signals, @ForAll("paths") String path, @ForAll("values") JsonNode value) {
        SignalStore store = new SignalStore();
        store.merge(signals);
        assertEquals(store.get(path), SignalPaths.get(signals, path), "read " + path);
        store.set(path, value);
        ObjectNode client = signals.deepCopy();
        SignalPaths.set(client, path, value.deepCopy());
        assertEquals(client, store.snapshot(), "set " + path);
    }

    /** The store's events, framed, parsed and applied by the kit as the client would, rebuild the store. */
    @Property(tries = 200)
    void aPageThatAppliesAStoresEventsHoldsTheStoresSignals(@ForAll("changes") List<Change> changes) {
        SignalStore store = new SignalStore();
        TestPage page = TestPage.blank();
        store.onPatch(page::apply);
        for (Change c : changes) {
            c.applyTo(store);
        }
        assertEquals(store.snapshot(), page.signals(), "after " + changes);
    }

    // ---- what the properties draw

    /** A change a server makes to a store. */
    record Change(String kind, String path, JsonNode value) {
        void applyTo(SignalStore store) {
            switch (kind) {
                case "set" -> store.set(path, value);
                case "remove" -> store.remove(path);
                case "merge" -> store.merge(value.isObject() ? value : nested(path, value));
                default -> store.setIfMissing(nested(path, value));
            }
        }

        private static ObjectNode nested(String path, JsonNode value) {
            ObjectNode root = NODES.objectNode();
            SignalPaths.set(root, path, value);
            return root;
        }

        @Override
        public String toString() {
            return kind + "(" + path + ", " + value + ")";
        }
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<JsonNode> valueOrPatch = Arbitraries.oneOf(values(), patches().map(JsonNode.class::cast));
        return Combinators.combine(Arbitraries.of("set", "remove", "merge", "setIfMissing"), paths(), valueOrPatch)
                .as(Change::new).list().ofMaxSize(12);
    }

    /** Signals as a store holds them: objects without null members. */
    @Provide
    Arbitrary<ObjectNode> signals() {
        return objects(3, false);
    }

    /** Merge patches: nulls delete. */
    @Provide
    Arbitrary<ObjectNode> patches() {
        return objects(3, true);
    }

    @Provide
    Arbitrary<String> paths() {
        return names().list().ofMinSize(1).ofMaxSize(3).map(names -> String.join(".", names));
    }

    /** A value to set: a scalar or an object (never null, which deletes). */
    @Provide
    Arbitrary<JsonNode> values() {
        return Arbitraries.oneOf(scalars(), objects(2, false).map(JsonNode.class::cast));
    }

    private static Arbitrary<String> names() {
        return Arbitraries.of("a", "b", "c", "user", "name");
    }

    private static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 3).map(NODES::numberNode),
                Arbitraries.of("", "x", "Ana", "a.b").map(NODES::textNode),
                Arbitraries.of(true, false).map(NODES::booleanNode));
    }

    private static Arbitrary<ObjectNode> objects(int depth, boolean withNulls) {
        Arbitrary<JsonNode> leaf = withNulls
                ? Arbitraries.oneOf(scalars(), Arbitraries.just(NODES.nullNode()))
                : scalars();
        Arbitrary<JsonNode> member = depth <= 1 ? leaf
                : Arbitraries.frequencyOf(
                        Tuple.of(3, leaf),
                        Tuple.of(2, Arbitraries.lazy(() -> objects(depth - 1, withNulls)).map(JsonNode.class::cast)));
        Arbitrary<JsonNode> list = scalars().list().ofMaxSize(3).map(ClientModelAgreesWithCorePropertiesTest::array);
        Arbitrary<JsonNode> listOrNull = withNulls ? Arbitraries.oneOf(list, Arbitraries.just(NODES.nullNode())) : list;
        return Combinators.combine(Arbitraries.maps(names(), member).ofMaxSize(4), listOrNull.optional())
                .as((members, listed) -> {
                    ObjectNode o = NODES.objectNode();
                    members.forEach(o::set);
                    listed.ifPresent(l -> o.set("list", l));
                    return o;
                });
    }

    private static JsonNode array(List<JsonNode> items) {
        return NODES.arrayNode().addAll(items);
    }
}
