namespace Herald.Core.Knowledge;

/// <summary>
/// The compiled, immutable knowledge base: every reference resolved, every condition parsed.
/// Built once by <see cref="KnowledgeCompiler"/>; shared by all decisions.
/// </summary>
public sealed class KnowledgeBase
{
    private readonly Dictionary<string, Agent> agentsByName;
    private readonly Dictionary<string, AgentGroup> groupsById;
    private readonly Dictionary<string, Regimen> regimensById;
    private readonly Dictionary<string, Trial> trialsById;
    private readonly Dictionary<string, Statement> statementsById;
    private readonly Dictionary<string, Edition> editionsById;
    private readonly Dictionary<string, Parameter> parametersById;

    internal KnowledgeBase(
        string version,
        IReadOnlyList<Source> sources,
        IReadOnlyList<Parameter> parameters,
        IReadOnlyList<Agent> agents,
        IReadOnlyList<AgentGroup> groups,
        IReadOnlyList<Regimen> regimens,
        IReadOnlyList<Trial> trials,
        IReadOnlyList<Statement> statements,
        IReadOnlyList<SafetyRule> safetyRules,
        IReadOnlyList<Edition> editions)
    {
        Version = version;
        Sources = sources;
        Parameters = parameters;
        Agents = agents;
        Groups = groups;
        Regimens = regimens;
        Trials = trials;
        Statements = statements;
        SafetyRules = safetyRules;
        Editions = editions;

        agentsByName = new Dictionary<string, Agent>(StringComparer.OrdinalIgnoreCase);
        foreach (var agent in agents)
        {
            agentsByName[agent.Id] = agent;
            agentsByName[agent.Name] = agent;
            foreach (var alias in agent.Aliases)
            {
                agentsByName[alias] = agent;
            }
        }

        groupsById = groups.ToDictionary(g => g.Id, StringComparer.OrdinalIgnoreCase);
        foreach (var group in groups)
        {
            groupsById.TryAdd(group.Name, group);
        }

        regimensById = regimens.ToDictionary(r => r.Id, StringComparer.Ordinal);
        trialsById = trials.ToDictionary(t => t.Id, StringComparer.Ordinal);
        statementsById = statements.ToDictionary(s => s.Id, StringComparer.Ordinal);
        editionsById = editions.ToDictionary(e => e.Id, StringComparer.Ordinal);
        parametersById = parameters.ToDictionary(p => p.Id, StringComparer.Ordinal);
        DefaultEdition = editions.Single(e => e.IsDefault);

        Her2Directed = AgentSet.Of(agents.Where(a => a.IsHer2Directed));
        Chemotherapy = AgentSet.Of(agents.Where(a => a.IsChemotherapy));
        Taxanes = AgentSet.Of(agents.Where(a => a.Class == AgentClass.Taxane));
        Endocrine = AgentSet.Of(agents.Where(a => a.Class == AgentClass.Endocrine));
        Conjugates = AgentSet.Of(agents.Where(a => a.Class == AgentClass.AntibodyDrugConjugate));
        Trastuzumab = FindAgent("trastuzumab") ?? throw new InvalidOperationException("The knowledge base must define trastuzumab.");
        TrastuzumabBased = AgentSet.Of(agents.Where(a => a.Id is "trastuzumab" or "trastuzumab-emtansine"));
        TrastuzumabEmtansine = FindAgent("trastuzumab-emtansine") ?? throw new InvalidOperationException("The knowledge base must define trastuzumab-emtansine.");
        Lapatinib = FindAgent("lapatinib") ?? throw new InvalidOperationException("The knowledge base must define lapatinib.");

        Thresholds = new Thresholds(this);
    }

    /// <summary>The knowledge base's own version, from editions.yaml; echoed in every output.</summary>
    public string Version { get; }

    public IReadOnlyList<Source> Sources { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    public IReadOnlyList<Agent> Agents { get; }

    public IReadOnlyList<AgentGroup> Groups { get; }

    public IReadOnlyList<Regimen> Regimens { get; }

    public IReadOnlyList<Trial> Trials { get; }

    public IReadOnlyList<Statement> Statements { get; }

    public IReadOnlyList<SafetyRule> SafetyRules { get; }

    public IReadOnlyList<Edition> Editions { get; }

    public Edition DefaultEdition { get; }

    public Thresholds Thresholds { get; }

    public AgentSet Her2Directed { get; }

    public AgentSet Chemotherapy { get; }

    public AgentSet Taxanes { get; }

    public AgentSet Endocrine { get; }

    /// <summary>The antibody-drug conjugates (T-DM1, T-DXd), whose labels carry the lung-toxicity rules.</summary>
    public AgentSet Conjugates { get; }

    /// <summary>Agents that make early-disease therapy "trastuzumab-based" for the 12-month relapse rule.</summary>
    public AgentSet TrastuzumabBased { get; }

    public Agent Trastuzumab { get; }

    public Agent TrastuzumabEmtansine { get; }

    public Agent Lapatinib { get; }

    /// <summary>Finds an agent by id, generic name or alias, ignoring case.</summary>
    public Agent? FindAgent(string name) => agentsByName.GetValueOrDefault(name.Trim());

    public AgentGroup? FindGroup(string idOrName) => groupsById.GetValueOrDefault(idOrName.Trim());

    public Regimen? FindRegimen(string id) => regimensById.GetValueOrDefault(id);

    public Trial? FindTrial(string id) => trialsById.GetValueOrDefault(id);

    public Statement? FindStatement(string id) => statementsById.GetValueOrDefault(id);

    public Edition? FindEdition(string id) => editionsById.GetValueOrDefault(id);

    public Parameter Parameter(string id) =>
        parametersById.TryGetValue(id, out var p) ? p : throw new KeyNotFoundException($"Parameter '{id}' is not defined in parameters.yaml.");

    /// <summary>Names of the agents in a set, in knowledge-base order.</summary>
    public IEnumerable<string> AgentNames(AgentSet set) => set.Indices().Select(i => Agents[i].Name);

    public string DescribeAgents(AgentSet set, string separator = " + ") => string.Join(separator, AgentNames(set));
}

/// <summary>The numeric thresholds the rules use, read once from parameters.yaml.</summary>
public sealed class Thresholds
{
    /// <summary>Parameters the engine reads by id; the knowledge compiler checks they are all defined.</summary>
    public static readonly string[] RequiredIds =
    [
        "lvef-minimum-percent",
        "lvef-mildly-reduced-floor-percent",
        "lvef-absolute-drop-withhold-points",
        "lvef-monitoring-interval-days",
        "early-relapse-months",
        "ema-tdm1-relapse-months",
        "conjugate-lung-toxicity-window-months",
        "taxane-stop-earliest-months",
        "taxane-stop-latest-months",
        "ecog-poor-performance-status",
        "ecog-her2-therapy-alone",
        // Read by the FHIR mapping (Herald.Fhir) when it infers what an EHR record leaves unsaid.
        "record-de-novo-window-months",
        "record-recurrence-gap-months",
        "record-new-brain-metastasis-weeks",
        "record-her2-workup-days",
    ];

    internal Thresholds(KnowledgeBase kb)
    {
        LvefMinimumPercent = kb.Parameter("lvef-minimum-percent").Value;
        LvefMildlyReducedFloorPercent = kb.Parameter("lvef-mildly-reduced-floor-percent").Value;
        LvefAbsoluteDropWithholdPoints = kb.Parameter("lvef-absolute-drop-withhold-points").Value;
        LvefMonitoringIntervalDays = (int)kb.Parameter("lvef-monitoring-interval-days").Value;
        EarlyRelapseMonths = (int)kb.Parameter("early-relapse-months").Value;
        EmaTdm1RelapseMonths = (int)kb.Parameter("ema-tdm1-relapse-months").Value;
        ConjugateLungToxicityWindowMonths = (int)kb.Parameter("conjugate-lung-toxicity-window-months").Value;
        TaxaneStopEarliestMonths = (int)kb.Parameter("taxane-stop-earliest-months").Value;
        TaxaneStopLatestMonths = (int)kb.Parameter("taxane-stop-latest-months").Value;
        EcogPoorPerformanceStatus = (int)kb.Parameter("ecog-poor-performance-status").Value;
        EcogHer2TherapyAlone = (int)kb.Parameter("ecog-her2-therapy-alone").Value;
    }

    public int EcogPoorPerformanceStatus { get; }

    public int EcogHer2TherapyAlone { get; }

    public double LvefMinimumPercent { get; }

    public double LvefMildlyReducedFloorPercent { get; }

    public double LvefAbsoluteDropWithholdPoints { get; }

    public int LvefMonitoringIntervalDays { get; }

    public int EarlyRelapseMonths { get; }

    public int EmaTdm1RelapseMonths { get; }

    /// <summary>Months after the last dose of an anti-HER2 conjugate during which new respiratory symptoms raise the ILD alert.</summary>
    public int ConjugateLungToxicityWindowMonths { get; }

    public int TaxaneStopEarliestMonths { get; }

    public int TaxaneStopLatestMonths { get; }
}
