using Herald.Core.Conditions;
using Herald.Core.Decisions;
using Herald.Core.Knowledge;
using Herald.Core.Patients;

namespace Herald.Core.Engine;

/// <summary>
/// The decision: from a validated patient, "now" and an edition of the knowledge base to ranked
/// options, exclusions with reasons, missing data and alerts. Pure and deterministic: the same
/// inputs give the same decision. docs/decision-logic.md describes each step.
/// </summary>
public sealed class DecisionEngine(KnowledgeBase knowledge)
{
    public KnowledgeBase Knowledge { get; } = knowledge;

    public Decision Decide(Patient patient, DateOnly asOf, Edition? edition = null, bool trace = false)
    {
        edition ??= Knowledge.DefaultEdition;
        var facts = PatientFactsBuilder.Build(patient, asOf, Knowledge);
        return new Run(Knowledge, edition, facts, trace).Execute();
    }

    /// <summary>The working state of one decision.</summary>
    private sealed class Run(KnowledgeBase kb, Edition edition, PatientFacts facts, bool trace)
    {
        private readonly List<Candidate> candidates = new(16);
        private readonly List<DecisionAlert> alerts = new(8);
        private readonly List<MissingItem> missing = new(4);
        private readonly List<TrialSuggestion> trials = new(4);
        private readonly List<Atom> unknownAtoms = new(4);

        // Reused while explaining why regimens are not indicated; each result is copied to an exact array.
        private readonly List<Reason> scratchReasons = new(4);
        private readonly List<Blocker> scratchBlockers = new(4);
        private StatementStatus[] statuses = [];
        private Statement?[] supersededBy = [];

        public Decision Execute()
        {
            missing.AddRange(facts.BlockingMissing);
            var kind = facts.DecisionPoint.Kind;
            if (kind is DecisionKind.OutOfScope or DecisionKind.DataNeeded)
            {
                alerts.Add(kind == DecisionKind.OutOfScope
                    ? new DecisionAlert(Severity.Warning, facts.Patient.Presentation.Type == PresentationType.NotMetastatic && facts.Her2 != Her2Scope.Negative
                        ? EngineTexts.NotMetastatic
                        : EngineTexts.OutOfScope, null, null, EngineAlert.OutOfScope)
                    : new DecisionAlert(Severity.Warning, EngineTexts.DecisionPending, null, null, EngineAlert.DecisionPending));
                AddCriticalRuleAlerts();
                return Finish([], [], [], null);
            }

            EvaluateStatements();
            CollectCandidates();
            var putForward = candidates.Count;
            var excluded = ApplySafetyRules(out var ruleTrace);
            ApplyStatementCautions();
            var ranked = Rank();
            var notIndicated = ExplainNotIndicated(excluded);
            AddEngineAlerts(ranked, putForward);
            return Finish(ranked, excluded, notIndicated, ruleTrace);
        }

        // Even when no regimen is assessed, a critical alert (pregnancy, lung toxicity on a current conjugate) is never left out.
        private void AddCriticalRuleAlerts()
        {
            foreach (var rule in kb.SafetyRules.Fast())
            {
                if (rule.Effect == SafetyEffect.Alert && rule.Severity == Severity.Critical && rule.When.Evaluate(facts) == Tri.True)
                {
                    alerts.Add(new DecisionAlert(rule.Severity, rule.Text, null, rule));
                }
            }
        }

        private Decision Finish(
            IReadOnlyList<RankedOption> ranked,
            IReadOnlyList<RegimenVerdict> excluded,
            IReadOnlyList<RegimenVerdict> notIndicated,
            List<RuleEvaluation>? ruleTrace)
        {
            foreach (var atom in unknownAtoms)
            {
                foreach (var item in atom.MissingItemsIn(facts))
                {
                    AddMissing(item);
                }
            }

            DecisionTrace? decisionTrace = null;
            if (trace)
            {
                var evaluations = new List<StatementEvaluation>(edition.Statements.Count);
                for (var i = 0; i < edition.Statements.Count; i++)
                {
                    var statement = edition.Statements[i];
                    var status = statuses.Length > 0 ? statuses[i] : StatementStatus.NotEvaluated;
                    evaluations.Add(new StatementEvaluation(
                        statement,
                        status,
                        status is StatementStatus.OtherSetting or StatementStatus.NotEvaluated ? null : statement.When.Trace(facts),
                        supersededBy.Length > 0 ? supersededBy[i] : null));
                }

                decisionTrace = new DecisionTrace(evaluations, ruleTrace ?? []);
            }

            alerts.Add(DatedSources.Alert(edition, facts.AsOf));
            return new Decision
            {
                Knowledge = kb,
                Edition = edition,
                Facts = facts,
                Recommendations = ranked,
                Excluded = excluded,
                NotIndicated = notIndicated,
                MissingData = missing,
                Alerts = alerts,
                Trials = trials,
                Trace = decisionTrace,
            };
        }

        private void AddMissing(MissingItem item)
        {
            foreach (var existing in missing)
            {
                if (existing.Field == item.Field)
                {
                    return;
                }
            }

            missing.Add(item);
        }

        private void AddTrial(Trial trial, Statement? statement, SafetyRule? rule)
        {
            foreach (var existing in trials)
            {
                if (existing.Trial == trial)
                {
                    return;
                }
            }

            trials.Add(new TrialSuggestion(trial, statement, rule));
        }

        // 1. Which statements of the edition speak here, and which hold for this patient.
        private void EvaluateStatements()
        {
            var statements = edition.Statements;
            statuses = new StatementStatus[statements.Count];
            var settings = facts.DecisionPoint.Settings;
            for (var i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                if ((statement.At & settings) == 0)
                {
                    statuses[i] = StatementStatus.OtherSetting;
                    continue;
                }

                var value = statement.When.Evaluate(facts);
                statuses[i] = value switch
                {
                    Tri.True => StatementStatus.Fired,
                    Tri.Unknown => StatementStatus.ConditionUnknown,
                    _ => StatementStatus.ConditionFalse,
                };
                if (value == Tri.Unknown)
                {
                    statement.When.CollectUnknown(facts, unknownAtoms);
                }
            }

            // A newer statement that holds replaces the older ones it names (combined editions only).
            for (var i = 0; i < statements.Count; i++)
            {
                if (statuses[i] != StatementStatus.Fired)
                {
                    continue;
                }

                foreach (var older in statements[i].Supersedes.Fast())
                {
                    var index = IndexOf(older);
                    if (index >= 0 && statuses[index] != StatementStatus.OtherSetting)
                    {
                        statuses[index] = StatementStatus.Superseded;
                        if (supersededBy.Length == 0)
                        {
                            supersededBy = new Statement?[statements.Count];
                        }

                        supersededBy[index] = statements[i];
                    }
                }
            }
        }

        private int IndexOf(Statement statement)
        {
            var statements = edition.Statements;
            for (var i = 0; i < statements.Count; i++)
            {
                if (statements[i] == statement)
                {
                    return i;
                }
            }

            return -1;
        }

        // 2. Regimens put forward by the statements that hold; the newest edition sets the preference.
        private void CollectCandidates()
        {
            var statements = edition.Statements;
            for (var i = 0; i < statements.Count; i++)
            {
                if (statuses[i] != StatementStatus.Fired)
                {
                    continue;
                }

                var statement = statements[i];
                foreach (var action in statement.Recommends.Fast())
                {
                    var applies = action.When?.Evaluate(facts) ?? Tri.True;
                    if (applies == Tri.Unknown)
                    {
                        action.When!.CollectUnknown(facts, unknownAtoms);
                    }

                    if (applies != Tri.True || !TryResolveAgents(action.Regimen, out var agents))
                    {
                        continue;
                    }

                    var candidate = FindCandidate(action.Regimen);
                    if (candidate is null)
                    {
                        candidate = new Candidate(action.Regimen, agents, statement, action);
                        candidates.Add(candidate);
                    }
                    else
                    {
                        candidate.Add(statement, action);
                    }
                }

                foreach (var alert in statement.Alerts.Fast())
                {
                    var applies = alert.When?.Evaluate(facts) ?? Tri.True;
                    if (applies == Tri.True)
                    {
                        alerts.Add(new DecisionAlert(alert.Severity, alert.Text, statement, null));
                    }
                    else if (applies == Tri.Unknown)
                    {
                        alert.When!.CollectUnknown(facts, unknownAtoms);
                    }
                }

                foreach (var trial in statement.Trials.Fast())
                {
                    AddTrial(trial, statement, null);
                }
            }

            // A newer "not recommended" overrides; an older one is shown beside the option.
            for (var i = 0; i < statements.Count; i++)
            {
                if (statuses[i] != StatementStatus.Fired || statements[i].NotRecommended.Count == 0)
                {
                    continue;
                }

                var statement = statements[i];
                foreach (var regimen in statement.NotRecommended.Fast())
                {
                    var candidate = FindCandidate(regimen);
                    if (candidate is null)
                    {
                        continue;
                    }

                    if (statement.Edition.Precedence > candidate.RankedBy.Edition.Precedence)
                    {
                        candidates.Remove(candidate);
                    }
                    else
                    {
                        candidate.AddCaution(new Note(NoteKind.OlderEditionDisagrees, statement.Title, statement, null, AgentSet.Empty, null, false));
                    }
                }
            }
        }

        private Candidate? FindCandidate(Regimen regimen)
        {
            foreach (var candidate in candidates)
            {
                if (candidate.Regimen == regimen)
                {
                    return candidate;
                }
            }

            return null;
        }

        private bool TryResolveAgents(Regimen regimen, out AgentSet agents)
        {
            // Once the taxane is stopped, the regimen that continues is the rest of it.
            var line = facts.DecisionPoint.CurrentLine;
            AgentSet? current = line is null ? null : line.TaxaneStopped ? line.Agents.Except(kb.Taxanes) : line.Agents;
            switch (regimen.Kind)
            {
                case RegimenKind.Standard:
                    agents = regimen.RequiredAgents;
                    return true;
                case RegimenKind.CurrentRegimen when current is { } all:
                    agents = all;
                    return true;
                case RegimenKind.CurrentAntiHer2Therapy or RegimenKind.CurrentAntiHer2TherapyWithEndocrine when current is { } all:
                    agents = all & kb.Her2Directed;
                    return !agents.IsEmpty;
                default:
                    agents = AgentSet.Empty;
                    return false;
            }
        }

        // 3. Safety rules: exclusions (never ranked), cautions, monitoring, alerts.
        private List<RegimenVerdict> ApplySafetyRules(out List<RuleEvaluation>? ruleTrace)
        {
            ruleTrace = trace ? new List<RuleEvaluation>(kb.SafetyRules.Count) : null;
            List<(Regimen Regimen, AgentSet Agents, Reason Reason)>? exclusions = null;
            foreach (var rule in kb.SafetyRules.Fast())
            {
                var value = rule.When.Evaluate(facts);
                if (value == Tri.Unknown)
                {
                    rule.When.CollectUnknown(facts, unknownAtoms);
                }

                if (value != Tri.True)
                {
                    ruleTrace?.Add(new RuleEvaluation(rule, value, rule.When.Trace(facts), []));
                    continue;
                }

                List<Regimen>? hits = trace ? [] : null;
                if (rule.Effect == SafetyEffect.Alert)
                {
                    alerts.Add(new DecisionAlert(rule.Severity, rule.Text, null, rule));
                }
                else if (rule.Effect == SafetyEffect.Exclude && CanHit(rule.Target))
                {
                    foreach (var regimen in edition.Regimens.Fast())
                    {
                        var candidate = FindCandidate(regimen);
                        if (regimen.IsPlaceholder && candidate is null)
                        {
                            continue;
                        }

                        var agents = candidate?.Agents ?? regimen.RequiredAgents;
                        var hit = HitOf(rule.Target, regimen, agents, candidate, out var hitAgents, out var line, out var early);
                        if (hit == Hit.Full)
                        {
                            exclusions ??= new List<(Regimen, AgentSet, Reason)>(8);
                            var code = rule.Target.Dynamic == DynamicTarget.ProgressedOnRegimens ? ReasonCode.ProgressedOn : ReasonCode.SafetyRule;
                            exclusions.Add((regimen, agents, new Reason(code, null, rule, hitAgents, line, null, Early: early)));
                            hits?.Add(regimen);
                        }
                        else if (hit == Hit.Partial && candidate is not null)
                        {
                            candidate.AddCaution(new Note(NoteKind.PartnerToAvoid, rule.Text, null, rule, hitAgents, line, false, early));
                            hits?.Add(regimen);
                        }
                        else if (hit == Hit.Retreatment && candidate is not null)
                        {
                            candidate.AddCaution(new Note(NoteKind.RetreatmentAllowed, rule.Text, candidate.RetreatmentStatement, rule, hitAgents, line, false, early));
                            hits?.Add(regimen);
                        }
                    }
                }
                else
                {
                    foreach (var candidate in candidates)
                    {
                        var hit = HitOf(rule.Target, candidate.Regimen, candidate.Agents, candidate, out var hitAgents, out var line, out var early);
                        if (hit == Hit.None || (hit == Hit.Partial && rule.Effect == SafetyEffect.Monitor))
                        {
                            continue;
                        }

                        hits?.Add(candidate.Regimen);
                        if (rule.Effect == SafetyEffect.Monitor)
                        {
                            candidate.AddMonitoring(new Note(NoteKind.SafetyRule, rule.Text, null, rule, hitAgents, line, false, early));
                        }
                        else if (hit == Hit.Partial)
                        {
                            // One "choose another partner" per partner: a second rule naming the same partners adds nothing.
                            if (!candidate.AvoidsPartners(hitAgents))
                            {
                                candidate.AddCaution(new Note(NoteKind.PartnerToAvoid, rule.Text, null, rule, hitAgents, line, false, early));
                            }
                        }
                        else
                        {
                            var weighs = rule.Effect == SafetyEffect.WeighAgainst;
                            candidate.AddCaution(new Note(NoteKind.SafetyRule, rule.Text, null, rule, hitAgents, line, weighs, early));
                            candidate.WeighedAgainst |= weighs;
                        }
                    }
                }

                foreach (var trial in rule.Trials.Fast())
                {
                    AddTrial(trial, null, rule);
                }

                ruleTrace?.Add(new RuleEvaluation(rule, value, rule.When.Trace(facts), hits ?? []));
            }

            if (exclusions is null)
            {
                return [];
            }

            // Group the exclusions by regimen, in the order regimens were first excluded.
            var verdicts = new List<RegimenVerdict>(exclusions.Count);
            var rechallenged = new List<Regimen>();
            for (var i = 0; i < exclusions.Count; i++)
            {
                var (regimen, agents, _) = exclusions[i];
                if (IsExcluded(verdicts, regimen) || rechallenged.Contains(regimen))
                {
                    continue;
                }

                var count = 0;
                for (var j = i; j < exclusions.Count; j++)
                {
                    count += exclusions[j].Regimen == regimen ? 1 : 0;
                }

                var candidate = FindCandidate(regimen);
                if (candidate is null && WorkingRechallenge(regimen, exclusions, i) is { } continuations)
                {
                    // Progressed on in an earlier line, restarted, and the current line now controls the disease: the
                    // decision continues it, so the earlier progression goes with the continuation as a caution instead
                    // of an exclusion that would contradict it.
                    for (var j = i; j < exclusions.Count; j++)
                    {
                        if (exclusions[j].Regimen == regimen && exclusions[j].Reason is { Rule: { } rule } reason)
                        {
                            foreach (var continuation in continuations)
                            {
                                continuation.AddCaution(new Note(NoteKind.RechallengeResponding, rule.Text, null, rule, reason.Agents, reason.Line, false, reason.Early));
                            }
                        }
                    }

                    rechallenged.Add(regimen);
                    continue;
                }

                if (candidate is not null)
                {
                    candidates.Remove(candidate);
                }

                // An excluded regimen that would not have been an option here anyway says that too.
                var alsoNotIndicated = candidate is null && !regimen.IsPlaceholder;
                var reasons = new Reason[count + (alsoNotIndicated ? 1 : 0)];
                var k = 0;
                for (var j = i; j < exclusions.Count; j++)
                {
                    if (exclusions[j].Regimen == regimen)
                    {
                        reasons[k++] = exclusions[j].Reason;
                    }
                }

                if (alsoNotIndicated)
                {
                    reasons[k] = WhyNot(regimen, firstOnly: true, ReasonCode.AlsoNotIndicated)[0];
                }

                verdicts.Add(new RegimenVerdict { Regimen = regimen, Agents = agents, Reasons = reasons });
            }

            return verdicts;
        }

        /// <summary>
        /// The continuation candidates that carry on <paramref name="regimen"/> when it is the regimen of the current,
        /// controlled line and every exclusion of it is an earlier progression; null when it is not such a re-challenge.
        /// </summary>
        private List<Candidate>? WorkingRechallenge(Regimen regimen, List<(Regimen Regimen, AgentSet Agents, Reason Reason)> exclusions, int first)
        {
            if (facts.DecisionPoint.CurrentLine is not { } current || current.MatchedRegimen != regimen)
            {
                return null;
            }

            for (var j = first; j < exclusions.Count; j++)
            {
                if (exclusions[j].Regimen == regimen && (exclusions[j].Reason.Code != ReasonCode.ProgressedOn || exclusions[j].Reason.Line == current))
                {
                    return null;
                }
            }

            var continuations = candidates.Where(c => c.Regimen.Kind is RegimenKind.CurrentRegimen or RegimenKind.CurrentAntiHer2Therapy
                or RegimenKind.CurrentAntiHer2TherapyWithEndocrine).ToList();
            return continuations.Count > 0 ? continuations : null;
        }

        // A rule whose target is empty for this patient (no allergy, nothing declined...) hits nothing.
        private bool CanHit(Target target) =>
            target.Regimens.Count > 0
            || target.Dynamic == DynamicTarget.ProgressedOnRegimens
            || (target.Dynamic == DynamicTarget.PossiblyProgressedOnRegimens && facts.PossibleEarlyFailures.Count > 0)
            || !(target.Agents | DynamicAgents(target.Dynamic)).IsEmpty;

        private Hit HitOf(
            Target target, Regimen regimen, AgentSet agents, Candidate? candidate, out AgentSet hitAgents, out TherapyLine? line, out EarlyFailure? early)
        {
            line = null;
            early = null;
            hitAgents = AgentSet.Empty;
            foreach (var r in target.Regimens.Fast())
            {
                if (r == regimen)
                {
                    hitAgents = agents;
                    return Hit.Full;
                }
            }

            if (target.Dynamic == DynamicTarget.ProgressedOnRegimens)
            {
                var worst = Hit.None;
                foreach (var l in facts.Lines.Fast())
                {
                    if (!l.EndedByProgression)
                    {
                        continue;
                    }

                    var hit = RegimenMatcher.ProgressionHit(regimen, l, kb);
                    if (hit == Hit.Full && worst != Hit.Full)
                    {
                        worst = Hit.Full;
                        line = l;
                        hitAgents = l.Agents;
                    }
                    else if (hit == Hit.Partial && worst != Hit.Full)
                    {
                        // Partners progressed on in any line are all to avoid; the note names the latest line.
                        worst = Hit.Partial;
                        line = l;
                        hitAgents |= (l.Agents & regimen.PossibleAgents).Except(regimen.RequiredAgents);
                    }
                }

                // Relapse during or soon after an early-disease regimen counts as progression on it.
                foreach (var failure in facts.EarlyFailures.Fast())
                {
                    var hit = RegimenMatcher.ProgressionHit(regimen, failure, kb);
                    if (hit == Hit.Full && worst != Hit.Full)
                    {
                        worst = Hit.Full;
                        line = null;
                        early = failure;
                        hitAgents = failure.Agents;
                    }
                    else if (hit == Hit.Partial && worst == Hit.None)
                    {
                        worst = Hit.Partial;
                        early = failure;
                        hitAgents |= (failure.Agents & regimen.PossibleAgents).Except(regimen.RequiredAgents);
                    }
                    else if (hit == Hit.Partial && worst == Hit.Partial)
                    {
                        hitAgents |= (failure.Agents & regimen.PossibleAgents).Except(regimen.RequiredAgents);
                    }
                }

                if (worst == Hit.Full && candidate?.RetreatmentStatement is not null)
                {
                    return Hit.Retreatment;
                }

                return worst;
            }

            if (target.Dynamic == DynamicTarget.PossiblyProgressedOnRegimens)
            {
                // As progression on an early regimen would, had the relapse come within its window (its end is unknown).
                var worst = Hit.None;
                foreach (var undated in facts.PossibleEarlyFailures.Fast())
                {
                    var hit = RegimenMatcher.PossibleProgressionHit(regimen, undated, kb);
                    if (hit == Hit.Full)
                    {
                        worst = Hit.Full;
                        hitAgents = undated.Agents;
                    }
                    else if (hit == Hit.Partial && worst != Hit.Full)
                    {
                        worst = Hit.Partial;
                        hitAgents |= (undated.Agents & regimen.PossibleAgents).Except(regimen.RequiredAgents);
                    }
                }

                return worst;
            }

            var targeted = target.Agents | DynamicAgents(target.Dynamic);
            var agentHit = RegimenMatcher.AgentHit(regimen, agents, targeted);
            if (agentHit != Hit.None)
            {
                hitAgents = (agents | regimen.PossibleAgents) & targeted;
                if (target.Dynamic == DynamicTarget.ChemotherapyOfLastProgression)
                {
                    line = facts.LastFailedLine;
                }
            }

            return agentHit;
        }

        private AgentSet DynamicAgents(DynamicTarget dynamic)
        {
            var patient = facts.Patient;
            return dynamic switch
            {
                DynamicTarget.AllergyAgents => facts.AllergyAgents,
                DynamicTarget.ContraindicatedAgents => facts.ContraindicatedAgents,
                DynamicTarget.UnavailableAgents => patient.Unavailable,
                DynamicTarget.DeclinedAgents => patient.Preferences.Declined,
                DynamicTarget.ToxicityAgents => facts.ToxicityAgents,
                DynamicTarget.OtherTaxanesAfterTaxaneAllergy => facts.AllergyAgents.Overlaps(kb.Taxanes)
                    ? kb.Taxanes.Except(facts.AllergyAgents)
                    : AgentSet.Empty,
                DynamicTarget.ChemotherapyOfLastProgression => facts.LastFailedLine is { } failed ? failed.Agents & kb.Chemotherapy : AgentSet.Empty,
                _ => AgentSet.Empty,
            };
        }

        // 4. Cautions written into the statements that put options forward.
        private void ApplyStatementCautions()
        {
            var statements = edition.Statements;
            for (var i = 0; i < statements.Count; i++)
            {
                if (statuses[i] != StatementStatus.Fired || statements[i].Cautions.Count == 0)
                {
                    continue;
                }

                var statement = statements[i];
                foreach (var caution in statement.Cautions.Fast())
                {
                    var applies = caution.When?.Evaluate(facts) ?? Tri.True;
                    if (applies == Tri.Unknown)
                    {
                        caution.When!.CollectUnknown(facts, unknownAtoms);
                    }

                    if (applies != Tri.True)
                    {
                        continue;
                    }

                    foreach (var candidate in candidates)
                    {
                        var hit = HitOf(caution.Target, candidate.Regimen, candidate.Agents, candidate, out var hitAgents, out _, out _);
                        if (hit == Hit.None)
                        {
                            continue;
                        }

                        var weighs = caution.WeighsAgainst && hit == Hit.Full;
                        candidate.AddCaution(new Note(
                            hit == Hit.Full ? NoteKind.StatementCaution : NoteKind.PartnerToAvoid,
                            caution.Text, statement, null, hitAgents, null, weighs));
                        candidate.WeighedAgainst |= weighs;
                    }
                }
            }
        }

        // 5. Rank: the newer edition, then preference, then whether a caution weighs against it. Equal keys share a rank.
        private List<RankedOption> Rank()
        {
            candidates.Sort(static (a, b) =>
            {
                // The newest source first: an older edition never outranks what a newer one puts forward here, so a
                // newer statement that supports a regimen can only raise it (docs/decision-logic.md, "Precedence").
                var c = b.RankedBy.Edition.Precedence.CompareTo(a.RankedBy.Edition.Precedence);
                if (c != 0)
                {
                    return c;
                }

                c = ((int)a.Preference).CompareTo((int)b.Preference);
                if (c != 0)
                {
                    return c;
                }

                c = a.WeighedAgainst.CompareTo(b.WeighedAgainst);
                if (c != 0)
                {
                    return c;
                }

                c = ((int)a.Strength).CompareTo((int)b.Strength);
                return c != 0 ? c : a.Regimen.Index.CompareTo(b.Regimen.Index);
            });

            var ranked = new List<RankedOption>(candidates.Count);
            var rank = 0;
            for (var i = 0; i < candidates.Count; i++)
            {
                var c = candidates[i];
                var sameAsPrevious = i > 0 && SameRank(candidates[i - 1], c);
                if (!sameAsPrevious)
                {
                    rank++;
                }

                var tied = sameAsPrevious || (i + 1 < candidates.Count && SameRank(candidates[i + 1], c));
                ranked.Add(new RankedOption
                {
                    Rank = rank,
                    Regimen = c.Regimen,
                    Agents = c.Agents,
                    Preference = c.Preference,
                    Strength = c.Strength,
                    RankedBy = c.RankedBy,
                    WeighedAgainst = c.WeighedAgainst,
                    Tied = tied,
                    Statements = c.Supports,
                    Cautions = c.Cautions,
                    Monitoring = c.Monitoring,
                });
            }

            return ranked;
        }

        // The newer edition wins where editions differ: equal preference from different editions is not a tie.
        private static bool SameRank(Candidate a, Candidate b) =>
            a.Preference == b.Preference
            && a.WeighedAgainst == b.WeighedAgainst
            && a.RankedBy.Edition.Precedence == b.RankedBy.Edition.Precedence;

        // 6. Why not: every other regimen of the edition, with the reason it is not put forward here.
        private List<RegimenVerdict> ExplainNotIndicated(List<RegimenVerdict> excluded)
        {
            var verdicts = new List<RegimenVerdict>(edition.Regimens.Count);
            foreach (var regimen in edition.Regimens.Fast())
            {
                if (regimen.IsPlaceholder || FindCandidate(regimen) is not null || IsExcluded(excluded, regimen))
                {
                    continue;
                }

                verdicts.Add(new RegimenVerdict { Regimen = regimen, Agents = regimen.RequiredAgents, Reasons = WhyNot(regimen) });
            }

            return verdicts;
        }

        private static bool IsExcluded(List<RegimenVerdict> excluded, Regimen regimen)
        {
            foreach (var verdict in excluded)
            {
                if (verdict.Regimen == regimen)
                {
                    return true;
                }
            }

            return false;
        }

        private Reason[] WhyNot(Regimen regimen, bool firstOnly = false, ReasonCode? code = null)
        {
            var reasons = scratchReasons;
            reasons.Clear();
            var elsewhere = Setting.None;
            var statements = edition.Statements;
            for (var i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                var status = statuses[i];
                if (status == StatementStatus.Fired && Contains(statement.NotRecommended, regimen))
                {
                    reasons.Add(new Reason(code ?? ReasonCode.NotRecommended, statement, null, AgentSet.Empty, null, null));
                    if (firstOnly)
                    {
                        return [.. reasons];
                    }

                    continue;
                }

                foreach (var action in statement.Recommends.Fast())
                {
                    if (action.Regimen != regimen)
                    {
                        continue;
                    }

                    switch (status)
                    {
                        case StatementStatus.OtherSetting:
                            elsewhere |= statement.At;
                            break;
                        case StatementStatus.ConditionFalse:
                            reasons.Add(new Reason(code ?? ReasonCode.ConditionNotMet, statement, null, AgentSet.Empty, null, Blockers(statement.When)));
                            break;
                        case StatementStatus.ConditionUnknown:
                            reasons.Add(new Reason(code ?? ReasonCode.ConditionUndetermined, statement, null, AgentSet.Empty, null, Unknowns(statement.When)));
                            break;
                        case StatementStatus.Fired when action.When is { } when:
                            var value = when.Evaluate(facts);
                            reasons.Add(value == Tri.Unknown
                                ? new Reason(code ?? ReasonCode.ConditionUndetermined, statement, null, AgentSet.Empty, null, Unknowns(when))
                                : new Reason(code ?? ReasonCode.ConditionNotMet, statement, null, AgentSet.Empty, null, Blockers(when)));
                            break;
                    }

                    if (firstOnly && reasons.Count > 0)
                    {
                        return [.. reasons];
                    }
                }
            }

            if (reasons.Count == 0)
            {
                reasons.Add(new Reason(code ?? ReasonCode.OtherSetting, null, null, AgentSet.Empty, null, null, elsewhere));
            }

            return [.. reasons];
        }

        private Blocker[] Blockers(Condition condition)
        {
            scratchBlockers.Clear();
            condition.CollectBlockers(facts, negated: false, scratchBlockers);
            return [.. scratchBlockers];
        }

        private Blocker[] Unknowns(Condition condition)
        {
            var atoms = new List<Atom>(2);
            condition.CollectUnknown(facts, atoms);
            var blockers = new Blocker[atoms.Count];
            for (var i = 0; i < atoms.Count; i++)
            {
                blockers[i] = new Blocker(atoms[i], Tri.Unknown, false);
            }

            return blockers;
        }

        private static bool Contains(IReadOnlyList<Regimen> regimens, Regimen regimen)
        {
            foreach (var r in regimens.Fast())
            {
                if (r == regimen)
                {
                    return true;
                }
            }

            return false;
        }

        private void AddEngineAlerts(List<RankedOption> ranked, int putForward)
        {
            if (ranked.Count > 0)
            {
                return;
            }

            if (putForward > 0)
            {
                alerts.Add(new DecisionAlert(Severity.Critical, EngineTexts.AllOptionsExcluded, null, null, EngineAlert.AllOptionsExcluded));
                return;
            }

            var settings = facts.DecisionPoint.Settings;
            var speaks = false;
            foreach (var statement in edition.Statements.Fast())
            {
                if ((statement.At & settings) != 0 && statement.Recommends.Count > 0)
                {
                    speaks = true;
                    break;
                }
            }

            alerts.Add(speaks
                ? new DecisionAlert(Severity.Warning, EngineTexts.NoStatementApplies, null, null, EngineAlert.NoStatementApplies)
                : new DecisionAlert(Severity.Warning, EngineTexts.EditionSilent, null, null, EngineAlert.EditionSilent));
        }
    }

    private sealed class Candidate
    {
        public Candidate(Regimen regimen, AgentSet agents, Statement statement, RecommendAction action)
        {
            Regimen = regimen;
            Agents = agents;
            RankedBy = statement;
            Preference = action.Preference;
            Strength = statement.Strength;
            Supports = new List<Support>(3) { new(statement, action) };
            if (action.AllowsRetreatment)
            {
                RetreatmentStatement = statement;
            }
        }

        public Regimen Regimen { get; }

        public AgentSet Agents { get; }

        public Statement RankedBy { get; private set; }

        public Preference Preference { get; private set; }

        public Strength Strength { get; private set; }

        public Statement? RetreatmentStatement { get; private set; }

        public bool WeighedAgainst { get; set; }

        public List<Support> Supports { get; }

        private List<Note>? cautions;

        private List<Note>? monitoring;

        public IReadOnlyList<Note> Cautions => (IReadOnlyList<Note>?)cautions ?? [];

        public IReadOnlyList<Note> Monitoring => (IReadOnlyList<Note>?)monitoring ?? [];

        public void AddCaution(Note note) => (cautions ??= new(2)).Add(note);

        public bool AvoidsPartners(AgentSet partners) =>
            cautions is not null && cautions.Exists(n => n.Kind == NoteKind.PartnerToAvoid && partners.IsSubsetOf(n.Agents));

        public void AddMonitoring(Note note) => (monitoring ??= new(2)).Add(note);

        /// <summary>The newest edition that speaks about the regimen here sets its preference.</summary>
        public void Add(Statement statement, RecommendAction action)
        {
            Supports.Add(new Support(statement, action));
            if (action.AllowsRetreatment)
            {
                RetreatmentStatement ??= statement;
            }

            var newer = statement.Edition.Precedence > RankedBy.Edition.Precedence;
            var sameEditionStronger = statement.Edition.Precedence == RankedBy.Edition.Precedence
                && (action.Preference < Preference || (action.Preference == Preference && statement.Strength < Strength));
            if (newer || sameEditionStronger)
            {
                RankedBy = statement;
                Preference = action.Preference;
                Strength = statement.Strength;
            }
        }
    }
}

/// <summary>Texts for the alerts the engine itself raises (the rest come from the knowledge base).</summary>
public static class EngineTexts
{
    public const string OutOfScope =
        "The disease is not HER2-positive (IHC 3+ or ISH amplified). Herald encodes guidance for HER2-positive metastatic breast cancer only; no regimen is assessed.";

    public const string NotMetastatic =
        "No distant metastases are recorded. Herald encodes guidance for metastatic HER2-positive breast cancer only; no regimen is assessed. If metastatic disease has been diagnosed, record it with its date.";

    public const string DecisionPending =
        "No regimen is assessed until the missing data marked as blocking are supplied.";

    public const string EditionSilent =
        "The selected edition's source says nothing about this decision point, so no regimen is ranked. The combined edition current-seeds may speak to it.";

    public const string NoStatementApplies =
        "The selected edition speaks to this decision point, but none of its recommendations applies to this patient (see 'notIndicated' for why), so no regimen is ranked.";

    public const string AllOptionsExcluded =
        "Every regimen the sources support at this decision point is excluded for this patient (see 'excluded'). The seeds name no alternative: review with the treating team.";
}
