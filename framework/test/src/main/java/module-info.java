/**
 * Starwire's test kit: plays the Datastar 1.0 browser client in plain JUnit, with jsoup for the page. Its
 * JUnit extension ({@code DatastarExtension}) is public in an exported package, so JUnit creates it on the
 * module path without further opens.
 */
module dev.starwire.test {
    // in the API: pages are jsoup documents, the extension is a JUnit Jupiter extension
    requires transitive dev.starwire.core;
    requires transitive org.jsoup;
    requires transitive org.junit.jupiter.api;
    requires java.net.http;

    exports dev.starwire.test;
}
