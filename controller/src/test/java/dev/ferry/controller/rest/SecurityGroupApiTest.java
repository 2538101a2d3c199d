package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecurityGroupApiTest extends FerryTestBase {

  private Api acme;
  private Api globex;
  private String net;

  @BeforeEach
  void tenants() {
    createTenant("acme");
    createTenant("globex");
    net = createNetwork("acme", "10.0.0.0/24");
    acme = admin.withToken(created(admin.post("/v1/tenants/acme/tokens", obj())).text("token"));
    globex = admin.withToken(created(admin.post("/v1/tenants/globex/tokens", obj())).text("token"));
  }

  @Test
  void everyTenantHasADefaultGroupThatPortsGetWhenTheyNameNone() {
    Api.Response groups = acme.get("/v1/security_groups");
    assertEquals(1, groups.body().size(), groups::toString);
    assertEquals("default", groups.body().get(0).get("name").asText());
    String def = groups.body().get(0).get("id").asText();
    assertEquals(2, groups.body().get(0).get("security_group_rules").size(), "egress open, ingress from members");
    Api.Response port = created(acme.post("/v1/ports", obj("network", net)));
    assertEquals(def, port.body().get("security_groups").get(0).asText());
    assertEquals(409, acme.delete("/v1/security_groups/" + def).status(), "in use, and lives with its tenant");
  }

  @Test
  void groupsAndRulesFullCycle() {
    String web = created(acme.post("/v1/security_groups", obj("name", "web", "description", "front"))).text("id");
    Api.Response rule = created(acme.post("/v1/security_group_rules", obj("security_group", web,
        "direction", "ingress", "protocol", "tcp", "port_range_min", 80, "port_range_max", 80,
        "remote_group_id", web)));
    assertEquals("tcp", rule.text("protocol"));
    assertEquals("IPv4", rule.text("ethertype"));
    String port = created(acme.post("/v1/ports", obj("network", net, "security_groups", List.of(web)))).text("id");
    assertEquals(1, acme.get("/v1/security_groups/" + web).body().get("security_group_rules").size());
    assertEquals(409, acme.delete("/v1/security_groups/" + web).status(), "a port uses it");
    assertEquals(404, globex.get("/v1/security_groups/" + web).status(), "another tenant's reads as absent");
    assertEquals(204, acme.delete("/v1/ports/" + port).status());
    assertEquals(204, acme.delete("/v1/security_group_rules/" + rule.text("id")).status());
    assertEquals(404, acme.get("/v1/security_group_rules/" + rule.text("id")).status());
    assertEquals(204, acme.delete("/v1/security_groups/" + web).status());
  }

  @Test
  void aRulesDropsAreReadFromTheSwitchesAndHiddenFromOtherTenants() {
    String web = created(acme.post("/v1/security_groups", obj("name", "web"))).text("id");
    String rule = created(acme.post("/v1/security_group_rules", obj("security_group", web,
        "direction", "ingress", "protocol", "tcp", "remote_group_id", web))).text("id");
    Api.Response drops = acme.get("/v1/security_group_rules/" + rule + "/drops");
    assertEquals(200, drops.status(), drops::toString);
    assertEquals(web, drops.text("security_group"));
    assertEquals(0, drops.body().get("dropped_packets").asLong(), "no switch connected: nothing dropped");
    assertEquals(404, globex.get("/v1/security_group_rules/" + rule + "/drops").status(), "another tenant's reads as absent");
    assertEquals(404, acme.get("/v1/security_group_rules/no-such-rule/drops").status());
  }

  @Test
  void badRulesNameTheFieldAndWriteNothing() {
    String web = created(acme.post("/v1/security_groups", obj("name", "web"))).text("id");
    String theirs = created(globex.post("/v1/security_groups", obj("name", "db"))).text("id");
    assertField(422, "remote_ip_prefix", rule(web, "protocol", "tcp", "remote_ip_prefix", "10.0.0.1/24"));
    assertField(422, "remote_ip_prefix", rule(web, "remote_ip_prefix", "10.0.0.0/33"));
    assertField(422, "port_range_min", rule(web, "protocol", "tcp", "port_range_min", 90, "port_range_max", 80));
    assertField(422, "port_range_min", rule(web, "protocol", "icmp", "port_range_min", 80));
    assertField(422, "port_range_min", rule(web, "port_range_min", 80));
    assertField(422, "protocol", rule(web, "protocol", "sctpp"));
    assertField(422, "direction", obj("security_group", web, "direction", "sideways"));
    assertField(404, "remote_group_id", rule(web, "remote_group_id", theirs));
    assertField(404, "remote_group_id", rule(web, "remote_group_id", "no-such-group"));
    assertField(404, "security_group", rule(theirs, "protocol", "tcp"));
    assertField(404, "security_groups[0]", acme.post("/v1/ports", obj("network", net, "security_groups", List.of(theirs))));
    assertEquals(0, acme.get("/v1/security_groups/" + web).body().get("security_group_rules").size());
    assertEquals(0, acme.get("/v1/ports").body().size());
  }

  private Api.Response rule(String group, Object... kv) {
    Object[] all = new Object[kv.length + 4];
    all[0] = "security_group";
    all[1] = group;
    all[2] = "direction";
    all[3] = "ingress";
    System.arraycopy(kv, 0, all, 4, kv.length);
    return acme.post("/v1/security_group_rules", obj(all));
  }

  private Api.Response rule(Object body) {
    return acme.post("/v1/security_group_rules", body);
  }

  private void assertField(int status, String field, Object body) {
    assertField(status, field, rule(body));
  }

  private static void assertField(int status, String field, Api.Response r) {
    assertEquals(status, r.status(), r::toString);
    assertEquals(field, r.body().get("field").asText(), r::toString);
  }
}
