using System.Globalization;
using System.Text;
using Herald.Contracts.Output;
using Herald.Fhir;

namespace Herald.Server.CdsHooks;

/// <summary>
/// The patient-view answer: Herald's decision (the same contract as the CLI's JSON) as CDS Hooks cards.
/// Warnings come first (no option to propose, safety alerts, blocking missing data), then the decision
/// point, then one card per ranked regimen in rank order, then information (missing data that does not
/// block, codes the FHIR mapping could not read). Excluded regimens never get a card or a suggestion:
/// the decision-point card lists them with the reason.
/// </summary>
public static class PatientViewCards
{
    public const string TopicSystem = "https://herald.example.org/cds-card-topic";

    // Engine alerts that mean "nothing to propose": folded into the one no-options warning card.
    private static readonly HashSet<string> NoOptionAlertCodes =
        ["out-of-scope", "decision-pending", "edition-silent", "no-statement-applies", "all-options-excluded"];

    public static CdsResponse BuildResponse(DecisionDocument decision, CardContext context) =>
        new() { Cards = Build(decision, context) };

    public static IReadOnlyList<Card> Build(DecisionDocument decision, CardContext context)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(context);

        var cards = new List<Card>();
        var noOptions = decision.Recommendations.Count == 0;
        if (noOptions)
        {
            cards.Add(NoOptionsCard(decision, context));
        }

        for (var i = 0; i < decision.Alerts.Count; i++)
        {
            var alert = decision.Alerts[i];
            if (alert.Severity is CardIndicator.Warning or CardIndicator.Critical
                && !(noOptions && NoOptionAlertCodes.Contains(alert.Code)))
            {
                cards.Add(AlertCard(alert, i, decision, context));
            }
        }

        var blocking = decision.MissingData.Any(m => m.Blocking);
        if (blocking)
        {
            cards.Add(MissingDataCard(decision, context));
        }

        cards.Add(DecisionPointCard(decision, context));
        for (var i = 0; i < decision.Recommendations.Count; i++)
        {
            cards.Add(RegimenCard(decision.Recommendations[i], i, decision, context));
        }

        if (!blocking && decision.MissingData.Count > 0)
        {
            cards.Add(MissingDataCard(decision, context));
        }

        if (context.Unmapped.Count > 0 || context.Notes.Count > 0)
        {
            cards.Add(MappingCard(decision, context));
        }

        return cards;
    }

    /// <summary>The key a card's uuid derives from, by kind; feedback and tests use the same keys.</summary>
    public static class Keys
    {
        public const string DecisionPoint = "decision-point";
        public const string NoOptions = "no-options";
        public const string MissingData = "missing-data";
        public const string Mapping = "fhir-mapping";

        public static string Regimen(int index, string regimenId) => $"regimen/{index}/{regimenId}";

        public static string Proposal(int index, string regimenId) => $"regimen/{index}/{regimenId}/propose";

        public static string Alert(int index, string code) => $"alert/{index}/{code}";
    }

    internal static CardSource Source(DecisionDocument decision, CardContext context, string topic, string topicDisplay) => new()
    {
        Label = $"Herald — {decision.EditionName}",
        Url = context.SourceUrl,
        Topic = new Coding { System = TopicSystem, Code = topic, Display = topicDisplay },
    };

    private static Card DecisionPointCard(DecisionDocument decision, CardContext context)
    {
        var point = decision.DecisionPoint;
        var line = point.Line is { } l ? $" (line {l})" : "";
        var ranked = decision.Recommendations.Count;
        var summary = $"{point.Label}{line}: {Count(ranked, "option")} ranked, {decision.Excluded.Count} excluded; "
                      + $"clinical resistance {StatusWords(decision.ClinicalResistance.Status)}";

        var md = new StringBuilder();
        md.Append("### Decision point: ").Append(CardText.Escape(point.Label)).Append(line).Append("\n\n");
        foreach (var sentence in point.Rationale)
        {
            md.Append("- ").Append(CardText.Escape(sentence)).Append('\n');
        }

        var resistance = decision.ClinicalResistance;
        md.Append("\n### Clinical resistance to anti-HER2 therapy: ").Append(StatusWords(resistance.Status)).Append("\n\n");
        foreach (var criterion in resistance.Criteria)
        {
            md.Append("- ").Append(CardText.Escape(criterion.Text)).Append(": **").Append(StatusWords(criterion.Status))
              .Append("** — ").Append(CardText.Escape(criterion.Evidence)).Append('\n');
        }

        md.Append('\n').Append(CardText.Escape(resistance.Consequence)).Append('\n');

        md.Append("\n### Metastatic lines as Herald read them\n\n");
        if (decision.Lines.Count == 0)
        {
            md.Append("No metastatic line of therapy is recorded.\n");
        }
        else
        {
            md.Append("| Line | Guideline line | Agents | Start | Stop | Stop reason | Progression at first assessment |\n");
            md.Append("|---|---|---|---|---|---|---|\n");
            foreach (var therapyLine in decision.Lines)
            {
                var derived = context.DerivedLines.FirstOrDefault(d => d.Number == therapyLine.Number);
                var progression = therapyLine.ProgressionAtFirstAssessment
                                  + (derived?.ProgressionInferredFrom is { } how ? $" (inferred from {how})" : "");
                md.Append("| ").Append(therapyLine.Number.ToString(CultureInfo.InvariantCulture))
                  .Append(" | ").Append(therapyLine.GuidelineLine.ToString(CultureInfo.InvariantCulture))
                  .Append(" | ").Append(CardText.Escape(string.Join(" + ", therapyLine.Agents)))
                  .Append(" | ").Append(therapyLine.Start)
                  .Append(" | ").Append(therapyLine.Stop ?? (therapyLine.Ongoing ? "ongoing" : ""))
                  .Append(" | ").Append(CardText.Escape(therapyLine.StopReason ?? ""))
                  .Append(" | ").Append(CardText.Escape(progression))
                  .Append(" |\n");
            }

            md.Append("\nIf a line is wrong, correct the medication record: the lines drive the decision point.\n");
        }

        if (decision.Excluded.Count > 0)
        {
            md.Append("\n### Excluded for this patient\n\n");
            foreach (var verdict in decision.Excluded)
            {
                md.Append("- **").Append(CardText.Escape(verdict.Regimen.Name)).Append("** — ")
                  .Append(CardText.Escape(string.Join(" ", verdict.Reasons.Select(r => r.Text))))
                  .Append(" (").Append(CardText.Escape(string.Join("; ", verdict.Reasons.Select(r => r.Source).Distinct()))).Append(")\n");
            }
        }

        var notes = decision.Alerts.Where(a => a.Severity == CardIndicator.Info).ToArray();
        if (notes.Length > 0)
        {
            md.Append("\n### Notes from the sources\n\n");
            foreach (var note in notes)
            {
                md.Append("- ").Append(CardText.Escape(note.Text)).Append(" (").Append(CardText.Escape(note.Source)).Append(")\n");
            }
        }

        if (decision.Trials.Count > 0)
        {
            md.Append("\n### Trials the sources name here\n\n");
            foreach (var trial in decision.Trials)
            {
                md.Append("- **").Append(CardText.Escape(trial.Name)).Append("**")
                  .Append(trial.Nct is { } nct ? $" ({nct})" : "")
                  .Append(" — ").Append(CardText.Escape(trial.Why))
                  .Append(trial.StatusInSeeds is { } status ? $". Status as the dated sources gave it: {CardText.Escape(status)} (check the registry)" : "")
                  .Append(" (").Append(CardText.Escape(trial.Source)).Append(")\n");
            }
        }

        md.Append("\nKnowledge base ").Append(decision.KnowledgeBaseVersion).Append(", edition ").Append(decision.Edition)
          .Append(", as of ").Append(decision.AsOf).Append(".\n");

        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, Keys.DecisionPoint),
            Summary = CardText.Summary(summary),
            Detail = md.ToString(),
            Indicator = CardIndicator.Info,
            Source = Source(decision, context, "decision-point", "Decision point"),
        };
    }

    private static Card RegimenCard(RecommendationDocument option, int index, DecisionDocument decision, CardContext context)
    {
        var regimen = option.Regimen;
        var rankedBy = option.Statements.FirstOrDefault(s => s.Id == option.RankedBy);
        var who = rankedBy is null ? "" : $" ({ShortSource(rankedBy.Source)})";
        var summary = $"Rank {option.Rank}{(option.Tied ? " (tied)" : "")}: {string.Join(" + ", regimen.Agents)} — "
                      + $"{option.Preference}, {StrengthWords(option.Strength)}{who}"
                      + (option.Cautions.Any(c => c.WeighsAgainst) ? "; a caution weighs against it" : "");

        var agents = MedicationProposals.Agents(regimen, context.Knowledge);
        var md = new StringBuilder();
        md.Append("### ").Append(CardText.Escape(regimen.Name)).Append("\n\n");
        md.Append("Rank ").Append(option.Rank.ToString(CultureInfo.InvariantCulture));
        if (option.Tied)
        {
            var others = decision.Recommendations.Where(r => r.Rank == option.Rank && r != option).Select(r => r.Regimen.Name);
            md.Append(" (tied with ").Append(CardText.Escape(string.Join("; ", others))).Append(": the sources do not order them)");
        }

        md.Append(" at ").Append(CardText.Escape(decision.DecisionPoint.Label.ToLowerInvariant()))
          .Append(decision.DecisionPoint.Line is { } line ? $" (line {line})" : "").Append(".\n\n");
        md.Append("**Preference:** ").Append(option.Preference)
          .Append(" · **Strength:** ").Append(CardText.Escape(option.StrengthLabel))
          .Append(" · **Ranked by:** `").Append(option.RankedBy).Append("`\n");

        md.Append("\n#### What the sources say\n");
        foreach (var statement in option.Statements)
        {
            md.Append("\n**").Append(CardText.Escape(statement.Title)).Append("** — ")
              .Append(CardText.Escape(statement.Voice)).Append(", ").Append(CardText.Escape(statement.Source))
              .Append(" (").Append(statement.Edition).Append(")\n\n");
            md.Append(CardText.Blockquote(statement.Quote)).Append("\n\n");
            if (statement.Interpretation is { } reading)
            {
                md.Append("*How Herald reads it:* ").Append(CardText.Escape(reading)).Append('\n');
            }

            if (statement.Note is { } note)
            {
                md.Append("*Note:* ").Append(CardText.Escape(note)).Append('\n');
            }
        }

        if (option.Evidence.Count > 0)
        {
            md.Append("\n#### Trial evidence\n\n");
            foreach (var trial in option.Evidence)
            {
                md.Append("- **").Append(CardText.Escape(trial.Trial)).Append("**")
                  .Append(trial.Nct is { } nct ? $" ({nct})" : "")
                  .Append(" — ").Append(CardText.Escape(trial.Design)).Append("; ").Append(CardText.Escape(trial.Setting))
                  .Append("; ").Append(CardText.Escape(trial.Arms))
                  .Append(trial.Publication is { } publication ? $". {CardText.Escape(publication)}" : "").Append('\n');
                foreach (var result in trial.Results)
                {
                    md.Append("  - ").Append(CardText.Escape(result.Endpoint))
                      .Append(result.Analysis is { } analysis ? $" ({CardText.Escape(analysis)})" : "")
                      .Append(": ").Append(CardText.Escape(result.Text))
                      .Append(result.Verified ? " — checked against the publication" : " — as the source states it, not checked")
                      .Append(" (").Append(CardText.Escape(result.Source)).Append(")\n");
                }
            }
        }

        if (option.Cautions.Count > 0)
        {
            md.Append("\n#### Cautions\n\n");
            foreach (var caution in option.Cautions)
            {
                md.Append("- ").Append(caution.WeighsAgainst ? "**Weighs against this option:** " : "")
                  .Append(CardText.Escape(caution.Text)).Append(" (").Append(CardText.Escape(caution.Source)).Append(")\n");
            }
        }

        if (option.Monitoring.Count > 0)
        {
            md.Append("\n#### Monitoring\n\n");
            foreach (var monitoring in option.Monitoring)
            {
                md.Append("- ").Append(CardText.Escape(monitoring.Text)).Append(" (").Append(CardText.Escape(monitoring.Source)).Append(")\n");
            }
        }

        md.Append("\n#### Proposed orders\n\n");
        foreach (var agent in agents)
        {
            md.Append("- ").Append(CardText.Escape(agent.Agent)).Append(" — ");
            if (agent.IsGroup)
            {
                md.Append("the prescriber chooses the agent; not proposed as an order.\n");
            }
            else if (agent.RxNormCode is { } code)
            {
                var confidence = regimen.Codes.FirstOrDefault(c => c.Agent == agent.Agent)?.Confidence;
                md.Append("RxNorm ").Append(code).Append(confidence is null ? "" : $" (code confidence {confidence})").Append(".\n");
            }
            else
            {
                md.Append("no checked RxNorm code: proposed by name only.\n");
            }
        }

        md.Append("\nDrafts with intent *proposal* and no dose: the prescriber sets dose and schedule.\n");

        var actions = agents.Where(a => !a.IsGroup).Select(agent => new CdsAction
        {
            Type = CdsActionType.Create,
            Description = agent.RxNormCode is { } code
                ? $"Draft a proposal for {agent.Agent} (RxNorm {code})."
                : $"Draft a proposal for {agent.Agent} (by name; no checked RxNorm code).",
            Resource = MedicationProposals.MedicationRequest(agent, "Patient/" + context.PatientId),
        }).ToArray();

        var suggestions = actions.Length == 0
            ? null
            : new[]
            {
                new Suggestion
                {
                    Label = CardText.Summary($"Propose {regimen.Name}"),
                    Uuid = CardIds.For(context.HookInstance, Keys.Proposal(index, regimen.Id)),
                    Actions = actions,
                },
            };

        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, Keys.Regimen(index, regimen.Id)),
            Summary = CardText.Summary(summary),
            Detail = md.ToString(),
            Indicator = CardIndicator.Info,
            Source = Source(decision, context, "treatment-option", "Treatment option"),
            Suggestions = suggestions,
            SelectionBehavior = suggestions is null ? null : "at-most-one",
        };
    }

    private static Card AlertCard(AlertDocument alert, int index, DecisionDocument decision, CardContext context) => new()
    {
        Uuid = CardIds.For(context.HookInstance, Keys.Alert(index, alert.Code)),
        Summary = CardText.Summary(alert.Text),
        Detail = $"{CardText.Escape(alert.Text)}\n\nSource: {CardText.Escape(alert.Source)} (`{alert.Code}`).\n",
        Indicator = alert.Severity,
        Source = Source(decision, context, "safety", "Safety finding"),
    };

    private static Card NoOptionsCard(DecisionDocument decision, CardContext context)
    {
        var engineAlerts = decision.Alerts.Where(a => NoOptionAlertCodes.Contains(a.Code)).ToArray();
        var summary = engineAlerts.Length > 0
            ? $"No regimen to propose: {FirstSentence(engineAlerts[0].Text)}"
            : decision.Excluded.Count > 0
                ? "No regimen to propose: every option the sources support here is excluded for this patient"
                : "No regimen to propose: no statement of the sources applies to this patient here";

        var md = new StringBuilder();
        md.Append("Herald ranks no regimen for this patient at ").Append(CardText.Escape(decision.DecisionPoint.Label.ToLowerInvariant())).Append(".\n\n");
        foreach (var alert in engineAlerts)
        {
            md.Append("- ").Append(CardText.Escape(alert.Text)).Append(" (").Append(CardText.Escape(alert.Source)).Append(")\n");
        }

        if (decision.Excluded.Count > 0)
        {
            md.Append("\n#### Excluded for this patient\n\n");
            foreach (var verdict in decision.Excluded)
            {
                md.Append("- **").Append(CardText.Escape(verdict.Regimen.Name)).Append("** — ")
                  .Append(CardText.Escape(string.Join(" ", verdict.Reasons.Select(r => r.Text)))).Append('\n');
            }
        }

        if (decision.MissingData.Any(m => m.Blocking))
        {
            md.Append("\nSupply the missing data (see the missing-data card) and ask again.\n");
        }

        var indicator = engineAlerts.Any(a => a.Severity == CardIndicator.Critical) ? CardIndicator.Critical : CardIndicator.Warning;
        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, Keys.NoOptions),
            Summary = CardText.Summary(summary),
            Detail = md.ToString(),
            Indicator = indicator,
            Source = Source(decision, context, "no-options", "No option to propose"),
        };
    }

    private static Card MissingDataCard(DecisionDocument decision, CardContext context)
    {
        var blocking = decision.MissingData.Where(m => m.Blocking).ToArray();
        var helpful = decision.MissingData.Where(m => !m.Blocking).ToArray();
        var summary = blocking.Length > 0
            ? $"Data needed before Herald can rank options: {string.Join(", ", blocking.Select(m => m.Field))}"
            : $"Data that would sharpen the advice: {string.Join(", ", helpful.Select(m => m.Field))}";

        var md = new StringBuilder();
        if (blocking.Length > 0)
        {
            md.Append("#### Needed now: no regimen is ranked until these are recorded\n\n");
            foreach (var item in blocking)
            {
                md.Append("- **").Append(item.Field).Append("** — ").Append(CardText.Escape(item.Request)).Append('\n');
            }
        }

        if (helpful.Length > 0)
        {
            md.Append(blocking.Length > 0 ? "\n" : "").Append("#### Would help: the ranking stands, but these bear on the choice\n\n");
            foreach (var item in helpful)
            {
                md.Append("- **").Append(item.Field).Append("** — ").Append(CardText.Escape(item.Request)).Append('\n');
            }
        }

        md.Append("\nRecord them in the EHR (the field names are Herald's input fields) and open the patient again.\n");
        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, Keys.MissingData),
            Summary = CardText.Summary(summary),
            Detail = md.ToString(),
            Indicator = blocking.Length > 0 ? CardIndicator.Warning : CardIndicator.Info,
            Source = Source(decision, context, "missing-data", "Missing data"),
        };
    }

    private static Card MappingCard(DecisionDocument decision, CardContext context)
    {
        var summary = context.Unmapped.Count > 0
            ? $"{Count(context.Unmapped.Count, "FHIR code")} Herald could not map — check them: Herald did not use them"
            : $"How Herald read the FHIR record: {Count(context.Notes.Count, "reading")} to check";

        var md = new StringBuilder();
        if (context.Unmapped.Count > 0)
        {
            md.Append("#### Codes Herald could not map\n\n");
            md.Append("These name concepts Herald reads, but Herald does not know the code, so the decision does not use them.\n\n");
            AppendUnmappedTable(md, context.Unmapped);
        }

        if (context.Notes.Count > 0)
        {
            md.Append(context.Unmapped.Count > 0 ? "\n" : "").Append("#### How values were read\n\n");
            foreach (var note in context.Notes)
            {
                md.Append("- **").Append(CardText.Escape(note.Field)).Append("** — ").Append(CardText.Escape(note.Text))
                  .Append(" (").Append(CardText.Escape(note.Source)).Append(")\n");
            }
        }

        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, Keys.Mapping),
            Summary = CardText.Summary(summary),
            Detail = md.ToString(),
            Indicator = CardIndicator.Info,
            Source = Source(decision, context, "fhir-mapping", "FHIR mapping"),
        };
    }

    /// <summary>The codes Herald could not map, as a Markdown table (also used by the server's own cards).</summary>
    internal static void AppendUnmappedTable(StringBuilder md, IReadOnlyList<UnmappedCode> codes)
    {
        md.Append("| Resource | Element | Concept | System | Code | Display |\n|---|---|---|---|---|---|\n");
        foreach (var code in codes)
        {
            md.Append("| ").Append(CardText.Escape(code.Resource))
              .Append(" | ").Append(CardText.Escape(code.Element))
              .Append(" | ").Append(CardText.Escape(code.Concept))
              .Append(" | ").Append(CardText.Escape(code.System ?? ""))
              .Append(" | ").Append(CardText.Escape(code.Code ?? ""))
              .Append(" | ").Append(CardText.Escape(code.Display ?? ""))
              .Append(" |\n");
        }
    }

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? text[..(end + 1)] : text;
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n.ToString(CultureInfo.InvariantCulture)} {noun}s";

    private static string StatusWords(string status) => status switch
    {
        "met" => "met",
        "not-met" => "not met",
        _ => "unknown",
    };

    // Short words for the summary line; the detail gives the full strength label.
    private static string StrengthWords(string strength) => strength switch
    {
        "phase-iii" => "phase III evidence",
        "phase-ii" => "phase II evidence",
        "exploratory" => "exploratory evidence",
        "expert-opinion" => "expert opinion",
        "no-data" => "no data",
        _ => strength,
    };

    // "2021 expert panel (seed 001), Case 1 Discussion" -> "2021 expert panel".
    private static string ShortSource(string citation)
    {
        var end = citation.IndexOfAny(['(', ',']);
        return (end > 0 ? citation[..end] : citation).Trim();
    }
}
