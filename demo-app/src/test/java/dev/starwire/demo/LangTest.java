package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ResourceBundle;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LangTest {
    @Test
    void anExplicitChoiceWinsOverTheBrowser() {
        assertEquals(Lang.EN, Lang.choose("en", "id-ID,id;q=0.9"));
        assertEquals(Lang.ID, Lang.choose("ID", "en-US,en;q=0.9"));
    }

    @Test
    void theBrowsersBestSupportedLanguageIsUsed() {
        assertEquals(Lang.EN, Lang.choose(null, "en-US,en;q=0.9"));
        assertEquals(Lang.ID, Lang.choose(null, "id-ID"));
        assertEquals(Lang.EN, Lang.choose(null, "de-DE,de;q=0.9,en;q=0.5,id;q=0.4"));
        assertEquals(Lang.ID, Lang.choose(null, "en;q=0.3,id;q=0.8"));
        assertEquals(Lang.ID, Lang.choose("fr", "en;q=0"));
    }

    @Test
    void indonesianIsTheDefaultForUnknownOrBrokenInput() {
        assertEquals(Lang.ID, Lang.choose(null, null));
        assertEquals(Lang.ID, Lang.choose("xx", "fr-FR,de"));
        assertEquals(Lang.ID, Lang.choose(null, ";;;q=abc,,"));
    }

    @Test
    void bothLanguagesHaveEveryText() {
        ResourceBundle id = Lang.ID.texts();
        ResourceBundle en = Lang.EN.texts();
        assertEquals(id.keySet(), en.keySet());
        assertEquals(Set.of(), Set.copyOf(id.keySet().stream().filter(k -> id.getString(k).isBlank()).toList()));
        assertEquals("Pesan terlalu panjang: paling banyak 500 karakter.", Lang.ID.format("chat.error.long", 500));
    }
}
