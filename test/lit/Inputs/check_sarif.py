"""check_sarif.py FILE [--results N] [--root DIR]: asserts that FILE is a SARIF
2.1.0 log with the fields GitHub code scanning requires (no schema validator
is available offline, so the required structure is checked by hand), and
prints one line per result: `ruleId level uri:line:col fingerprint`."""
import json
import re
import sys


def fail(msg):
    sys.stderr.write("check_sarif: " + msg + "\n")
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def check_location(loc, where):
    phys = loc.get("physicalLocation")
    expect(isinstance(phys, dict), where + ": physicalLocation missing")
    art = phys.get("artifactLocation")
    expect(isinstance(art, dict) and isinstance(art.get("uri"), str) and art["uri"], where + ": artifactLocation.uri")
    uri = art["uri"]
    if "uriBaseId" in art:
        expect(art["uriBaseId"] == "SRCROOT", where + ": uriBaseId must be SRCROOT")
        expect(not uri.startswith("/") and "://" not in uri, where + ": relative uri expected, got " + uri)
    else:
        expect(uri.startswith("file://"), where + ": absolute uri must be file://")
    reg = phys.get("region")
    expect(isinstance(reg, dict), where + ": region missing")
    for key in ("startLine", "startColumn", "endLine", "endColumn"):
        expect(isinstance(reg.get(key), int) and reg[key] >= 1, where + ": region." + key)
    expect((reg["endLine"], reg["endColumn"]) > (reg["startLine"], reg["startColumn"]) or
           reg["endLine"] > reg["startLine"] or reg["endColumn"] > reg["startColumn"], where + ": empty region")
    return "%s:%d:%d" % (uri, reg["startLine"], reg["startColumn"])


def main():
    args = sys.argv[1:]
    path = args.pop(0)
    want_results = None
    if "--results" in args:
        want_results = int(args[args.index("--results") + 1])
    log = json.load(open(path))
    expect(log.get("version") == "2.1.0", "version must be 2.1.0")
    expect(isinstance(log.get("$schema"), str) and "sarif" in log["$schema"] and "2.1.0" in log["$schema"], "$schema")
    runs = log.get("runs")
    expect(isinstance(runs, list) and len(runs) == 1, "exactly one run")
    run = runs[0]
    driver = run.get("tool", {}).get("driver")
    expect(isinstance(driver, dict), "runs[0].tool.driver")
    expect(driver.get("name") == "varscope", "driver.name")
    expect(re.match(r"^\d+\.\d+\.\d+", driver.get("version", "")), "driver.version")
    expect(re.match(r"^https?://", driver.get("informationUri", "")), "driver.informationUri")
    rules = driver.get("rules")
    expect(isinstance(rules, list) and rules, "driver.rules")
    ids = []
    for i, rule in enumerate(rules):
        where = "rules[%d]" % i
        expect(re.match(r"^varscope-[a-z-]+$", rule.get("id", "")), where + ".id")
        for key in ("shortDescription", "fullDescription", "help"):
            expect(isinstance(rule.get(key), dict) and rule[key].get("text"), where + "." + key + ".text")
        expect(rule.get("helpUri", "").endswith("docs/diagnostics/%s.md" % rule["id"]), where + ".helpUri")
        expect(rule.get("defaultConfiguration", {}).get("level") in ("error", "warning", "note"),
               where + ".defaultConfiguration.level")
        ids.append(rule["id"])
    expect(len(set(ids)) == len(ids), "rule ids must be unique")
    if "originalUriBaseIds" in run:
        base = run["originalUriBaseIds"].get("SRCROOT", {}).get("uri", "")
        expect(base.startswith("file://") and base.endswith("/"), "SRCROOT must be a file:// uri ending in /")
    results = run.get("results")
    expect(isinstance(results, list), "runs[0].results")
    if want_results is not None:
        expect(len(results) == want_results, "expected %d results, got %d" % (want_results, len(results)))
    for i, res in enumerate(results):
        where = "results[%d]" % i
        expect(res.get("ruleId") in ids, where + ".ruleId")
        expect(rules[res.get("ruleIndex", -1)]["id"] == res["ruleId"], where + ".ruleIndex")
        expect(res.get("level") in ("error", "warning", "note"), where + ".level")
        expect(res.get("message", {}).get("text"), where + ".message.text")
        locs = res.get("locations")
        expect(isinstance(locs, list) and len(locs) == 1, where + ".locations")
        at = check_location(locs[0], where + ".locations[0]")
        ids_seen = set()
        for j, rel in enumerate(res.get("relatedLocations", [])):
            rwhere = "%s.relatedLocations[%d]" % (where, j)
            expect(isinstance(rel.get("id"), int) and rel["id"] not in ids_seen, rwhere + ".id")
            ids_seen.add(rel["id"])
            expect(rel.get("message", {}).get("text"), rwhere + ".message.text")
            check_location(rel, rwhere)
        fps = res.get("partialFingerprints")
        expect(isinstance(fps, dict) and fps and all(isinstance(v, str) and v for v in fps.values()),
               where + ".partialFingerprints")
        print("%s %s %s %s related=%d" % (res["ruleId"], res["level"], at, list(fps.values())[0],
                                           len(res.get("relatedLocations", []))))
    print("sarif ok: %d rules, %d results" % (len(rules), len(results)))


main()
