/**
 * Starwire on Spring Boot 4: auto-configuration of Starwire on servlets in a Spring MVC application, controller
 * methods that answer Datastar actions and open live streams, and the metrics for the actuator. Spring Boot apps run
 * on the class path; the descriptor states what the starter exports and needs.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Spring has stable names, no descriptors
module dev.starwire.spring {
    requires transitive dev.starwire.servlet;
    requires transitive dev.starwire.micrometer;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.boot;
    requires transitive spring.context;
    requires transitive spring.beans;
    requires transitive spring.core;
    requires transitive spring.web;
    requires transitive spring.webmvc;
    requires org.slf4j;

    exports dev.starwire.spring;
    // Spring creates the auto-configuration and binds the properties reflectively
    opens dev.starwire.spring to spring.core, spring.beans, spring.context, spring.boot;
}
