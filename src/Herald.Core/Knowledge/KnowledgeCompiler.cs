using System.Text.RegularExpressions;
using Herald.Core.Conditions;
using Herald.Core.Knowledge.Definitions;

namespace Herald.Core.Knowledge;

public sealed record KnowledgeError(SourceLocation? Location, string Message)
{
    public override string ToString() => Location is null ? Message : $"{Location}: {Message}";
}

public sealed record CompileResult(KnowledgeBase? Knowledge, IReadOnlyList<KnowledgeError> Errors)
{
    public bool Succeeded => Knowledge is not null && Errors.Count == 0;
}

/// <summary>
/// Turns the knowledge files as written into a <see cref="KnowledgeBase"/>: resolves every reference,
/// parses every condition, and reports every problem (not just the first) with its file and line.
/// Pure: the loader does the reading.
/// </summary>
public sealed partial class KnowledgeCompiler
{
    private readonly List<KnowledgeError> errors = [];
    private readonly KnowledgeDocument document;
    private readonly Dictionary<string, Source> sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Agent> agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentGroup> groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Regimen> regimens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Trial> trials = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Edition> editions = new(StringComparer.Ordinal);

    private KnowledgeCompiler(KnowledgeDocument document) => this.document = document;

    public static CompileResult Compile(KnowledgeDocument document)
    {
        var compiler = new KnowledgeCompiler(document);
        var kb = compiler.Run();
        return new CompileResult(compiler.errors.Count == 0 ? kb : null, compiler.errors);
    }

    private KnowledgeBase? Run()
    {
        if (string.IsNullOrWhiteSpace(document.Version))
        {
            errors.Add(new KnowledgeError(null, "the knowledge base has no version (editions.yaml: version)"));
        }

        var sourceList = CompileSources();
        var parameters = CompileParameters();
        var agentList = CompileAgents();
        foreach (var id in RequiredAgentIds.Where(id => !agents.ContainsKey(id)))
        {
            errors.Add(new KnowledgeError(null, $"agents.yaml: the engine needs agent '{id}'"));
        }

        var groupList = CompileGroups(agentList);
        var trialList = CompileTrials();
        var regimenList = CompileRegimens();
        var editionList = CompileEditions();
        var statements = CompileStatements();
        var safetyRules = CompileSafetyRules();
        if (errors.Count > 0)
        {
            return null;
        }

        BuildEditionViews(editionList, statements);
        if (errors.Count > 0)
        {
            return null;
        }

        return new KnowledgeBase(
            document.Version, sourceList, parameters, agentList, groupList, regimenList, trialList, statements, safetyRules, editionList);
    }

    /// <summary>Stands in for a missing source while errors are collected; never reaches a compiled knowledge base.</summary>
    private static readonly Source UnknownSource = new() { Id = "unknown", Title = "unknown", Year = 2000, Citation = "unknown" };

    /// <summary>Agents the engine's own rules name (the 12-month rule, scenario 3 of seed 002).</summary>
    private static readonly string[] RequiredAgentIds = ["trastuzumab", "trastuzumab-emtansine", "lapatinib"];

    private void Error(Located item, string message) => errors.Add(new KnowledgeError(item.Location, message));

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabId();

    [GeneratedRegex("^NCT[0-9]{8}$")]
    private static partial Regex NctPattern();

    // "HR 0.62 (0.51-0.75)": the first hazard ratio a result states with its CI. "HR 0.67; not significant" has no CI
    // and gives none, so it is never drawn as if its uncertainty were known.
    [GeneratedRegex(@"\bHR (\d+(?:\.\d+)?) \((\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)\)", RegexOptions.CultureInvariant)]
    private static partial Regex HazardRatioPattern();

    internal static HazardRatio? ParseHazardRatio(string text)
    {
        var match = HazardRatioPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        static double Number(Group group) => double.Parse(group.Value, System.Globalization.CultureInfo.InvariantCulture);
        return new HazardRatio(Number(match.Groups[1]), Number(match.Groups[2]), Number(match.Groups[3]));
    }

    private bool CheckId<T>(Located item, string? id, string kind, Dictionary<string, T> seen)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            Error(item, $"{kind} without an id");
            return false;
        }

        if (!KebabId().IsMatch(id))
        {
            Error(item, $"{kind} id '{id}' must be lowercase kebab-case (letters, digits, hyphens)");
            return false;
        }

        if (seen.ContainsKey(id))
        {
            Error(item, $"{kind} id '{id}' is defined twice");
            return false;
        }

        return true;
    }

    private string Required(Located item, string? value, string field, string owner)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Error(item, $"{owner}: '{field}' is required");
            return "";
        }

        return value.Trim();
    }

    private List<Source> CompileSources()
    {
        var list = new List<Source>();
        foreach (var s in document.Sources)
        {
            if (!CheckId(s, s.Id, "source", sources))
            {
                continue;
            }

            var source = new Source
            {
                Id = s.Id!,
                Title = Required(s, s.Title, "title", $"source {s.Id}"),
                File = s.File,
                Year = s.Year,
                Citation = Required(s, s.Citation, "citation", $"source {s.Id}"),
            };
            if (s.Year is < 1990 or > 2100)
            {
                Error(s, $"source {s.Id}: year {s.Year} is not plausible");
            }

            sources[source.Id] = source;
            list.Add(source);
        }

        // Later editions cite a source that may be defined further down the file, so they are read once all are known.
        foreach (var s in document.Sources)
        {
            if (s.Id is null || !sources.TryGetValue(s.Id, out var source) || s.LaterEditions.Count == 0)
            {
                continue;
            }

            var later = new List<LaterEdition>(s.LaterEditions.Count);
            foreach (var e in s.LaterEditions)
            {
                var what = $"source {s.Id}, later edition {e.Citation}";
                if (e.Year <= source.Year)
                {
                    Error(s, $"{what}: year {e.Year} is not after the source's own year {source.Year}");
                }

                if (e.Source is null || !sources.TryGetValue(e.Source, out var recordedIn))
                {
                    Error(s, $"{what}: source '{e.Source}' is not defined in sources.yaml");
                    continue;
                }

                later.Add(new LaterEdition(e.Year, Required(s, e.Citation, "citation", what), Required(s, e.Change, "change", what), e.RevisesRecommendations, recordedIn));
            }

            source.LaterEditions = later.OrderBy(e => e.Year).ToArray();
        }

        return list;
    }

    private List<Parameter> CompileParameters()
    {
        var seen = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var p in document.Parameters)
        {
            if (!CheckId(p, p.Id, "parameter", seen))
            {
                continue;
            }

            seen[p.Id!] = new Parameter
            {
                Id = p.Id!,
                Value = p.Value,
                Unit = Required(p, p.Unit, "unit", $"parameter {p.Id}"),
                Basis = Required(p, p.Basis, "basis", $"parameter {p.Id}"),
            };
        }

        foreach (var id in Thresholds.RequiredIds.Where(id => !seen.ContainsKey(id)))
        {
            errors.Add(new KnowledgeError(null, $"parameters.yaml: the engine needs parameter '{id}'"));
        }

        return [.. seen.Values];
    }

    private static readonly Dictionary<string, AgentClass> ClassIds =
        Enum.GetValues<AgentClass>().ToDictionary(c => c.Id(), c => c, StringComparer.Ordinal);

    private static readonly Dictionary<string, Route> RouteIds =
        Enum.GetValues<Route>().ToDictionary(r => r.Id(), r => r, StringComparer.Ordinal);

    private static readonly Dictionary<string, CodeConfidence> ConfidenceIds =
        Enum.GetValues<CodeConfidence>().ToDictionary(c => c.Id(), c => c, StringComparer.Ordinal);

    private List<Agent> CompileAgents()
    {
        var list = new List<Agent>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in document.Agents)
        {
            if (!CheckId(a, a.Id, "agent", agents))
            {
                continue;
            }

            var name = Required(a, a.Name, "name", $"agent {a.Id}");
            if (name != name.ToLowerInvariant())
            {
                Error(a, $"agent {a.Id}: the generic name '{name}' must be lowercase");
            }

            if (!ClassIds.TryGetValue(a.Class ?? "", out var agentClass))
            {
                Error(a, $"agent {a.Id}: class '{a.Class}' is not one of {string.Join(", ", ClassIds.Keys)}");
            }

            var routes = new List<Route>();
            foreach (var r in a.Routes)
            {
                if (RouteIds.TryGetValue(r, out var route))
                {
                    routes.Add(route);
                }
                else
                {
                    Error(a, $"agent {a.Id}: route '{r}' is not one of {string.Join(", ", RouteIds.Keys)}");
                }
            }

            if (routes.Count == 0)
            {
                Error(a, $"agent {a.Id}: at least one route is required");
            }

            foreach (var alias in a.Aliases.Append(name).Append(a.Id!))
            {
                if (names.TryGetValue(alias, out var owner) && owner != a.Id)
                {
                    Error(a, $"agent {a.Id}: the name or alias '{alias}' already belongs to agent {owner}");
                }

                names[alias] = a.Id!;
            }

            TerminologyCode? code = null;
            if (a.Rxnorm is { } rx)
            {
                if (!ConfidenceIds.TryGetValue(rx.Confidence ?? "", out var confidence))
                {
                    Error(a, $"agent {a.Id}: code confidence '{rx.Confidence}' is not one of high, medium, unverified");
                }

                // An unverified agent carries no code (codes.md: do not invent codes; match by text).
                if (confidence == CodeConfidence.Unverified)
                {
                    if (!string.IsNullOrEmpty(rx.Code))
                    {
                        Error(a, $"agent {a.Id}: an unverified code must be left out; give its confidence once checked");
                    }
                }
                else if (string.IsNullOrWhiteSpace(rx.Code) || !rx.Code.All(char.IsAsciiDigit))
                {
                    Error(a, $"agent {a.Id}: an RxNorm code must be digits");
                }
                else
                {
                    code = new TerminologyCode("http://www.nlm.nih.gov/research/umls/rxnorm", rx.Code, confidence, rx.Note);
                }
            }

            if (list.Count >= AgentSet.Capacity)
            {
                Error(a, $"at most {AgentSet.Capacity} agents are supported");
                continue;
            }

            var agent = new Agent
            {
                Index = list.Count,
                Id = a.Id!,
                Name = name,
                Abbreviation = a.Abbreviation,
                Class = agentClass,
                Aliases = a.Aliases,
                Routes = routes,
                RxNorm = code,
            };
            agents[agent.Id] = agent;
            list.Add(agent);
        }

        return list;
    }

    private List<AgentGroup> CompileGroups(List<Agent> agentList)
    {
        var list = new List<AgentGroup>();
        foreach (var g in document.Groups)
        {
            if (!CheckId(g, g.Id, "group", groups))
            {
                continue;
            }

            if (agents.ContainsKey(g.Id!))
            {
                Error(g, $"group id '{g.Id}' is also an agent id");
                continue;
            }

            var members = AgentSet.Empty;
            foreach (var c in g.Classes)
            {
                if (ClassIds.TryGetValue(c, out var agentClass))
                {
                    members |= AgentSet.Of(agentList.Where(a => a.Class == agentClass));
                }
                else
                {
                    Error(g, $"group {g.Id}: class '{c}' is unknown");
                }
            }

            foreach (var m in g.Members)
            {
                if (agents.TryGetValue(m, out var agent))
                {
                    members |= AgentSet.Of(agent.Index);
                }
                else
                {
                    Error(g, $"group {g.Id}: member '{m}' is not an agent id");
                }
            }

            if (g.OnlyRoutes.Count > 0)
            {
                var routes = new HashSet<Route>();
                foreach (var r in g.OnlyRoutes)
                {
                    if (RouteIds.TryGetValue(r, out var route))
                    {
                        routes.Add(route);
                    }
                    else
                    {
                        Error(g, $"group {g.Id}: route '{r}' is unknown");
                    }
                }

                members |= AgentSet.Of(agentList.Where(a => a.Routes.All(routes.Contains)));
            }

            if (members.IsEmpty)
            {
                Error(g, $"group {g.Id} has no members");
            }

            var group = new AgentGroup
            {
                Id = g.Id!,
                Name = Required(g, g.Name, "name", $"group {g.Id}"),
                Description = Required(g, g.Description, "description", $"group {g.Id}"),
                Members = members,
            };
            groups[group.Id] = group;
            list.Add(group);
        }

        return list;
    }

    private List<Trial> CompileTrials()
    {
        var list = new List<Trial>();
        foreach (var t in document.Trials)
        {
            if (!CheckId(t, t.Id, "trial", trials))
            {
                continue;
            }

            if (t.Nct is not null && !NctPattern().IsMatch(t.Nct))
            {
                Error(t, $"trial {t.Id}: '{t.Nct}' is not an NCT number (NCT and eight digits)");
            }

            var results = new List<TrialResult>();
            foreach (var sourceId in t.Results.Select(r => r.Source).Append(t.Source).Where(id => id is not null && !sources.ContainsKey(id)).Distinct())
            {
                Error(t, $"trial {t.Id}: source '{sourceId}' is not defined in sources.yaml");
            }

            foreach (var r in t.Results)
            {
                var text = Required(t, r.Text, "results[].text", $"trial {t.Id}");
                var hazardRatio = ParseHazardRatio(text);
                if (hazardRatio is { } hr && !(hr.Lower <= hr.Value && hr.Value <= hr.Upper && hr.Lower > 0))
                {
                    Error(t, $"trial {t.Id}: '{text}' gives a hazard ratio outside its own confidence interval");
                }

                results.Add(new TrialResult(
                    Required(t, r.Endpoint, "results[].endpoint", $"trial {t.Id}"),
                    r.Analysis,
                    text,
                    r.Verified,
                    sources.GetValueOrDefault(r.Source ?? "") ?? UnknownSource) { HazardRatio = hazardRatio });
            }

            var trial = new Trial
            {
                Id = t.Id!,
                Name = Required(t, t.Name, "name", $"trial {t.Id}"),
                Nct = t.Nct,
                Design = Required(t, t.Design, "design", $"trial {t.Id}"),
                Setting = Required(t, t.Setting, "setting", $"trial {t.Id}"),
                Arms = Required(t, t.Arms, "arms", $"trial {t.Id}"),
                Results = results,
                Publication = t.Publication,
                StatusInSeeds = t.StatusInSeeds,
                Source = sources.GetValueOrDefault(Required(t, t.Source, "source", $"trial {t.Id}")) ?? UnknownSource,
            };
            trials[trial.Id] = trial;
            list.Add(trial);
        }

        return list;
    }

    private static readonly Dictionary<string, RegimenKind> RegimenKinds =
        Enum.GetValues<RegimenKind>().ToDictionary(k => k.Id(), k => k, StringComparer.Ordinal);

    private List<Regimen> CompileRegimens()
    {
        var list = new List<Regimen>();
        foreach (var r in document.Regimens)
        {
            if (!CheckId(r, r.Id, "regimen", regimens))
            {
                continue;
            }

            if (!RegimenKinds.TryGetValue(r.Kind ?? "standard", out var kind))
            {
                Error(r, $"regimen {r.Id}: kind '{r.Kind}' is not one of {string.Join(", ", RegimenKinds.Keys)}");
            }

            var components = new List<RegimenComponent>();
            foreach (var c in r.Components)
            {
                if (agents.TryGetValue(c, out var agent))
                {
                    components.Add(new RegimenComponent { Agent = agent });
                }
                else if (groups.TryGetValue(c, out var group))
                {
                    components.Add(new RegimenComponent { Group = group });
                }
                else
                {
                    Error(r, $"regimen {r.Id}: component '{c}' is neither an agent nor a group id");
                }
            }

            if (kind == RegimenKind.Standard && components.Count == 0)
            {
                Error(r, $"regimen {r.Id}: a standard regimen needs components");
            }

            if (kind is RegimenKind.CurrentRegimen or RegimenKind.CurrentAntiHer2Therapy && components.Count > 0)
            {
                Error(r, $"regimen {r.Id}: a '{r.Kind}' regimen takes its agents from the patient; list no components");
            }

            var required = AgentSet.Of(components.Where(c => c.Agent is not null).Select(c => c.Agent!));
            var possible = components.Aggregate(AgentSet.Empty, (set, c) => set | c.Members);
            var regimen = new Regimen
            {
                Index = list.Count,
                Id = r.Id!,
                Name = Required(r, r.Name, "name", $"regimen {r.Id}"),
                Kind = kind,
                Components = components,
                Family = string.IsNullOrWhiteSpace(r.Family) ? r.Id! : r.Family,
                Evidence = ResolveTrials(r, r.Evidence, $"regimen {r.Id}"),
                Notes = r.Notes,
                RequiredAgents = required,
                PossibleAgents = possible,
            };
            regimens[regimen.Id] = regimen;
            list.Add(regimen);
        }

        return list;
    }

    private List<Trial> ResolveTrials(Located owner, IEnumerable<string> ids, string what)
    {
        var list = new List<Trial>();
        foreach (var id in ids)
        {
            if (trials.TryGetValue(id, out var trial))
            {
                list.Add(trial);
            }
            else
            {
                Error(owner, $"{what}: trial '{id}' is not defined in trials.yaml");
            }
        }

        return list;
    }

    private List<Edition> CompileEditions()
    {
        var list = new List<Edition>();
        var includes = new Dictionary<Edition, EditionDefinition>();
        foreach (var e in document.Editions)
        {
            if (!CheckId(e, e.Id, "edition", editions))
            {
                continue;
            }

            var editionSources = new List<Source>();
            foreach (var s in e.Sources)
            {
                if (sources.TryGetValue(s, out var source))
                {
                    editionSources.Add(source);
                }
                else
                {
                    Error(e, $"edition {e.Id}: source '{s}' is not defined in sources.yaml");
                }
            }

            var edition = new Edition
            {
                Id = e.Id!,
                Name = Required(e, e.Name, "name", $"edition {e.Id}"),
                Description = Required(e, e.Description, "description", $"edition {e.Id}"),
                Precedence = e.Precedence,
                IsDefault = e.Default,
                Sources = editionSources,
            };
            editions[edition.Id] = edition;
            includes[edition] = e;
            list.Add(edition);
        }

        foreach (var (edition, definition) in includes)
        {
            var parts = new List<Edition>();
            foreach (var id in definition.Includes)
            {
                if (!editions.TryGetValue(id, out var part))
                {
                    Error(definition, $"edition {edition.Id}: includes unknown edition '{id}'");
                }
                else if (includes[part].Includes.Count > 0)
                {
                    Error(definition, $"edition {edition.Id}: cannot include the combined edition '{id}'");
                }
                else
                {
                    parts.Add(part);
                }
            }

            edition.Includes = [.. parts.OrderBy(p => p.Precedence)];
        }

        if (list.Count(e => e.IsDefault) != 1)
        {
            errors.Add(new KnowledgeError(null, "editions.yaml: exactly one edition must be the default"));
        }

        foreach (var duplicate in list.GroupBy(e => e.Precedence).Where(g => g.Count() > 1))
        {
            errors.Add(new KnowledgeError(null, $"editions.yaml: editions {string.Join(", ", duplicate)} share precedence {duplicate.Key}"));
        }

        return list;
    }

    private static readonly Dictionary<string, StatementKind> StatementKinds =
        Enum.GetValues<StatementKind>().ToDictionary(k => k.Id(), k => k, StringComparer.Ordinal);

    private static readonly Dictionary<string, Strength> Strengths =
        Enum.GetValues<Strength>().ToDictionary(s => s.Id(), s => s, StringComparer.Ordinal);

    private static readonly Dictionary<string, Preference> Preferences =
        Enum.GetValues<Preference>().ToDictionary(p => p.Id(), p => p, StringComparer.Ordinal);

    private static readonly Dictionary<string, Severity> Severities =
        Enum.GetValues<Severity>().ToDictionary(s => s.Id(), s => s, StringComparer.Ordinal);

    private static readonly Dictionary<string, Setting> SettingsById =
        VocabularyNames.SettingIds.ToDictionary(s => s.Id, s => s.Setting, StringComparer.Ordinal);

    private (AgentSet Agents, string Name)? ResolveAgentsOrGroup(string id)
    {
        if (agents.TryGetValue(id, out var agent))
        {
            return (AgentSet.Of(agent.Index), agent.Name);
        }

        if (groups.TryGetValue(id, out var group))
        {
            return (group.Members, group.Name);
        }

        return null;
    }

    private Conditions.Condition ParseCondition(Located owner, string? text, string what)
    {
        try
        {
            return ConditionParser.Parse(text, ResolveAgentsOrGroup);
        }
        catch (ConditionSyntaxException e)
        {
            Error(owner, $"{what}: {e.Message}");
            return Conditions.Condition.Always;
        }
    }

    private List<Statement> CompileStatements()
    {
        var list = new List<Statement>();
        var byId = new Dictionary<string, Statement>(StringComparer.Ordinal);
        var supersedes = new List<(Statement, StatementDefinition)>();
        foreach (var file in document.StatementFiles)
        {
            if (file.Edition is null || !editions.TryGetValue(file.Edition, out var edition))
            {
                Error(file, $"statements file: edition '{file.Edition}' is not defined in editions.yaml");
                continue;
            }

            if (document.Editions.First(e => e.Id == edition.Id).Includes.Count > 0)
            {
                Error(file, $"statements file: '{edition.Id}' combines other editions and takes no statements of its own");
                continue;
            }

            if (file.Source is null || !sources.TryGetValue(file.Source, out var source))
            {
                Error(file, $"statements file: source '{file.Source}' is not defined in sources.yaml");
                continue;
            }

            if (source.File is null)
            {
                Error(file, $"statements file: source '{source.Id}' is not a seed document (it names no file), so its quotes cannot be checked");
            }

            foreach (var s in file.Statements)
            {
                if (!CheckId(s, s.Id, "statement", byId))
                {
                    continue;
                }

                var what = $"statement {s.Id}";
                if (!StatementKinds.TryGetValue(s.Kind ?? "", out var kind))
                {
                    Error(s, $"{what}: kind '{s.Kind}' is not one of {string.Join(", ", StatementKinds.Keys)}");
                }

                if (!Strengths.TryGetValue(s.Strength ?? "", out var strength))
                {
                    Error(s, $"{what}: strength '{s.Strength}' is not one of {string.Join(", ", Strengths.Keys)}");
                }

                var quote = s.Quote?.Trim() ?? "";
                if (quote.Length == 0 && kind != StatementKind.Silence)
                {
                    Error(s, $"{what}: a quote from the source is required");
                }

                if (kind == StatementKind.Silence && string.IsNullOrWhiteSpace(s.Interpretation))
                {
                    Error(s, $"{what}: a silence must say in 'interpretation' what was looked for and not found");
                }

                var at = Setting.None;
                foreach (var a in s.At)
                {
                    if (SettingsById.TryGetValue(a, out var setting))
                    {
                        at |= setting;
                    }
                    else
                    {
                        Error(s, $"{what}: 'at' value '{a}' is not one of {string.Join(", ", SettingsById.Keys)}");
                    }
                }

                if (at == Setting.None)
                {
                    Error(s, $"{what}: 'at' must name at least one setting");
                }

                var recommends = new List<RecommendAction>();
                foreach (var r in s.Recommend)
                {
                    if (r.Regimen is null || !regimens.TryGetValue(r.Regimen, out var regimen))
                    {
                        Error(s, $"{what}: recommends unknown regimen '{r.Regimen}'");
                        continue;
                    }

                    if (!Preferences.TryGetValue(r.Preference ?? "", out var preference))
                    {
                        Error(s, $"{what}: preference '{r.Preference}' for {r.Regimen} is not one of {string.Join(", ", Preferences.Keys)}");
                    }

                    recommends.Add(new RecommendAction
                    {
                        Regimen = regimen,
                        Preference = preference,
                        When = r.When is null ? null : ParseCondition(s, r.When, $"{what}, recommend {r.Regimen}"),
                        AllowsRetreatment = r.AllowsRetreatment,
                        Note = r.Note,
                    });
                }

                if (kind == StatementKind.Recommendation && s.Recommend.Count == 0)
                {
                    Error(s, $"{what}: a recommendation must recommend at least one regimen");
                }

                if (kind != StatementKind.Recommendation && recommends.Count > 0)
                {
                    Error(s, $"{what}: only a recommendation may recommend regimens (kind is '{s.Kind}')");
                }

                var notRecommended = new List<Regimen>();
                foreach (var id in s.NotRecommended)
                {
                    if (regimens.TryGetValue(id, out var regimen))
                    {
                        notRecommended.Add(regimen);
                    }
                    else
                    {
                        Error(s, $"{what}: notRecommended names unknown regimen '{id}'");
                    }
                }

                if (kind == StatementKind.NotRecommended && s.NotRecommended.Count == 0)
                {
                    Error(s, $"{what}: a not-recommended statement must name the regimens");
                }

                var cautions = new List<CautionAction>();
                foreach (var c in s.Cautions)
                {
                    cautions.Add(new CautionAction
                    {
                        Target = ResolveTarget(s, new TargetDefinition { Regimens = c.Regimens, Agents = c.Agents, Groups = c.Groups }, what),
                        Text = Required(s, c.Text, "cautions[].text", what),
                        WeighsAgainst = c.WeighsAgainst,
                        When = c.When is null ? null : ParseCondition(s, c.When, $"{what}, caution"),
                    });
                }

                var alerts = new List<AlertAction>();
                foreach (var a in s.Alerts)
                {
                    if (!Severities.TryGetValue(a.Severity ?? "", out var severity))
                    {
                        Error(s, $"{what}: alert severity '{a.Severity}' is not one of info, warning, critical");
                    }

                    alerts.Add(new AlertAction
                    {
                        Severity = severity,
                        Text = Required(s, a.Text, "alerts[].text", what),
                        When = a.When is null ? null : ParseCondition(s, a.When, $"{what}, alert"),
                    });
                }

                CheckPlaceholders(s, what, cautions.Select(c => c.Text).Concat(alerts.Select(a => a.Text)));
                var statement = new Statement
                {
                    Id = s.Id!,
                    Order = list.Count,
                    Edition = edition,
                    Source = source,
                    Kind = kind,
                    Title = Required(s, s.Title, "title", what),
                    Section = Required(s, s.Section, "section", what),
                    Voice = Required(s, s.Voice, "voice", what),
                    Quote = quote,
                    Interpretation = s.Interpretation?.Trim(),
                    Strength = strength,
                    At = at,
                    When = ParseCondition(s, s.When, $"{what}, when"),
                    Evidence = ResolveTrials(s, s.Evidence, what),
                    Recommends = recommends,
                    NotRecommended = notRecommended,
                    Cautions = cautions,
                    Alerts = alerts,
                    Trials = ResolveTrials(s, s.Trials, what),
                };
                byId[statement.Id] = statement;
                list.Add(statement);
                supersedes.Add((statement, s));
            }
        }

        foreach (var (statement, definition) in supersedes)
        {
            var replaced = new List<Statement>();
            foreach (var id in definition.Supersedes)
            {
                if (!byId.TryGetValue(id, out var older))
                {
                    Error(definition, $"statement {statement.Id}: supersedes unknown statement '{id}'");
                }
                else if (older.Edition.Precedence >= statement.Edition.Precedence)
                {
                    Error(definition, $"statement {statement.Id}: can only supersede statements of older editions ('{id}' is {older.Edition.Id})");
                }
                else
                {
                    replaced.Add(older);
                }
            }

            statement.Supersedes = replaced;
        }

        return list;
    }

    private static readonly Dictionary<string, SafetyEffect> Effects =
        Enum.GetValues<SafetyEffect>().ToDictionary(e => e.Id(), e => e, StringComparer.Ordinal);

    private List<SafetyRule> CompileSafetyRules()
    {
        var list = new List<SafetyRule>();
        var seen = new Dictionary<string, SafetyRule>(StringComparer.Ordinal);
        foreach (var r in document.SafetyRules)
        {
            if (!CheckId(r, r.Id, "safety rule", seen))
            {
                continue;
            }

            var what = $"safety rule {r.Id}";
            if (!Effects.TryGetValue(r.Effect ?? "", out var effect))
            {
                Error(r, $"{what}: effect '{r.Effect}' is not one of {string.Join(", ", Effects.Keys)}");
            }

            if (!Strengths.TryGetValue(r.Strength ?? "", out var strength))
            {
                Error(r, $"{what}: strength '{r.Strength}' is not one of {string.Join(", ", Strengths.Keys)}");
            }

            var severity = Severity.Warning;
            if (r.Severity is not null && !Severities.TryGetValue(r.Severity, out severity))
            {
                Error(r, $"{what}: severity '{r.Severity}' is not one of info, warning, critical");
            }

            if (r.Source is null || !sources.TryGetValue(r.Source, out var source))
            {
                Error(r, $"{what}: source '{r.Source}' is not defined in sources.yaml");
                continue;
            }

            var target = r.Target is null ? Target.None : ResolveTarget(r, r.Target, what);
            if (effect != SafetyEffect.Alert && target.Regimens.Count == 0 && target.Agents.IsEmpty && target.Dynamic == DynamicTarget.None)
            {
                Error(r, $"{what}: effect '{r.Effect}' needs a target");
            }

            var text = Required(r, r.Text, "text", what);
            CheckPlaceholders(r, what, [text]);
            var rule = new SafetyRule
            {
                Id = r.Id!,
                Order = list.Count,
                Title = Required(r, r.Title, "title", what),
                When = ParseCondition(r, r.When, $"{what}, when"),
                Target = target,
                Effect = effect,
                Text = text,
                Severity = severity,
                Source = source,
                Quote = r.Quote?.Trim(),
                Interpretation = r.Interpretation?.Trim(),
                Strength = strength,
                Trials = ResolveTrials(r, r.Trials, what),
            };
            seen[rule.Id] = rule;
            list.Add(rule);
        }

        return list;
    }

    private Target ResolveTarget(Located owner, TargetDefinition t, string what)
    {
        var set = AgentSet.Empty;
        foreach (var a in t.Agents)
        {
            if (agents.TryGetValue(a, out var agent))
            {
                set |= AgentSet.Of(agent.Index);
            }
            else
            {
                Error(owner, $"{what}: target agent '{a}' is not an agent id");
            }
        }

        foreach (var g in t.Groups)
        {
            if (groups.TryGetValue(g, out var group))
            {
                set |= group.Members;
            }
            else
            {
                Error(owner, $"{what}: target group '{g}' is not a group id");
            }
        }

        var targetRegimens = new List<Regimen>();
        foreach (var r in t.Regimens)
        {
            if (regimens.TryGetValue(r, out var regimen))
            {
                targetRegimens.Add(regimen);
            }
            else
            {
                Error(owner, $"{what}: target regimen '{r}' is not a regimen id");
            }
        }

        var dynamic = DynamicTarget.None;
        if (t.Dynamic is not null)
        {
            var match = DynamicTargetNames.All.FirstOrDefault(d => d.Id == t.Dynamic);
            if (match.Id is null)
            {
                Error(owner, $"{what}: dynamic target '{t.Dynamic}' is not one of {string.Join(", ", DynamicTargetNames.All.Select(d => d.Id))}");
            }
            else
            {
                dynamic = match.Target;
            }
        }

        return new Target { Agents = set, Regimens = targetRegimens, Dynamic = dynamic };
    }

    private void CheckPlaceholders(Located owner, string what, IEnumerable<string> texts)
    {
        foreach (var name in texts.SelectMany(TextTemplate.NamesIn).Distinct())
        {
            if (!TextTemplate.Placeholders.ContainsKey(name))
            {
                Error(owner, $"{what}: unknown placeholder {{{name}}}; known: {string.Join(", ", TextTemplate.Placeholders.Keys)}");
            }
        }
    }

    private void BuildEditionViews(List<Edition> editionList, List<Statement> statements)
    {
        foreach (var edition in editionList)
        {
            var parts = edition.IsCombined ? edition.Includes : [edition];
            var inForce = statements
                .Where(s => parts.Contains(s.Edition))
                .OrderBy(s => s.Edition.Precedence)
                .ThenBy(s => s.Order)
                .ToList();
            edition.Statements = inForce;
            var mentioned = new HashSet<Regimen>(inForce.SelectMany(s => s.Recommends.Select(r => r.Regimen).Concat(s.NotRecommended)));
            edition.Regimens = [.. document.Regimens
                .Select(r => regimens.GetValueOrDefault(r.Id ?? ""))
                .Where(r => r is not null && mentioned.Contains(r))
                .Cast<Regimen>()];
            if (!edition.IsCombined && inForce.Count == 0)
            {
                errors.Add(new KnowledgeError(null, $"edition {edition.Id} has no statements"));
            }
        }
    }
}
