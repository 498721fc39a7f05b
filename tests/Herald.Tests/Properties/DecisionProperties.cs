using FsCheck;
using FsCheck.Fluent;
using Herald.Contracts.Output;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Properties;

/// <summary>Invariants that must hold for every valid patient, in every edition.</summary>
public class DecisionProperties
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(400).WithQuietOnSuccess(true);

    private static void ForAllPatients(Action<Patient, Edition> property)
    {
        var editions = Gen.Elements(Kb.Editions.ToArray());
        var cases = from patient in PatientGenerator.Patients(Kb) from edition in editions select (patient, edition);
        Prop.ForAll(cases.ToArbitrary(), c => property(c.patient, c.edition)).Check(Config);
    }

    private static void ForAllEarlyRelapses(Action<Patient, Edition> property)
    {
        var editions = Gen.Elements(Kb.Editions.ToArray());
        var cases = from patient in PatientGenerator.EarlyRelapses(Kb) from edition in editions select (patient, edition);
        Prop.ForAll(cases.ToArbitrary(), c => property(c.patient, c.edition)).Check(Config);
    }

    private static Decision Decide(Patient patient, Edition edition) => Engine.Decide(patient, PatientGenerator.AsOf, edition);

    [Fact]
    public void Nothing_excluded_is_ever_recommended()
    {
        ForAllPatients((patient, edition) =>
        {
            var d = Decide(patient, edition);
            var excluded = d.Excluded.Select(e => e.Regimen).ToHashSet();
            Assert.DoesNotContain(d.Recommendations, r => excluded.Contains(r.Regimen));
            Assert.All(d.Excluded, e => Assert.NotEmpty(e.Reasons));
        });
    }

    [Fact]
    public void Every_recommendation_cites_at_least_one_quoted_statement_of_its_edition()
    {
        ForAllPatients((patient, edition) =>
        {
            var d = Decide(patient, edition);
            Assert.All(d.Recommendations, r =>
            {
                Assert.NotEmpty(r.Statements);
                Assert.All(r.Statements, s => Assert.Contains(s.Statement, edition.Statements));
                Assert.Contains(r.Statements, s => s.Statement.Quote.Length > 0);
            });
        });
    }

    [Fact]
    public void The_same_input_gives_byte_identical_json()
    {
        ForAllPatients((patient, edition) =>
            Assert.Equal(DecisionJson.Serialize(Decide(patient, edition)), DecisionJson.Serialize(Decide(patient, edition))));
    }

    [Fact]
    public void Ranks_start_at_one_and_rise_without_gaps()
    {
        ForAllPatients((patient, edition) =>
        {
            var ranks = Decide(patient, edition).Recommendations.Select(r => r.Rank).ToArray();
            for (var i = 0; i < ranks.Length; i++)
            {
                Assert.True(ranks[i] == (i == 0 ? 1 : ranks[i - 1]) || ranks[i] == ranks[i - 1] + 1, string.Join(",", ranks));
            }
        });
    }

    [Fact]
    public void No_option_contains_an_agent_the_patient_must_not_or_cannot_receive()
    {
        ForAllPatients((patient, edition) =>
        {
            var d = Decide(patient, edition);
            var forbidden = patient.Unavailable | patient.Preferences.Declined | d.Facts.AllergyAgents | d.Facts.ContraindicatedAgents | d.Facts.ToxicityAgents;
            if (patient.CanTakeOralDrugs == false)
            {
                forbidden |= Kb.FindGroup("oral-only")!.Members;
            }

            if (d.Facts.CardiacFunctionInadequate == Core.Tri.True)
            {
                forbidden |= Kb.Her2Directed;
            }

            if ((patient.Comorbidities & (Comorbidities.InterstitialLungDisease | Comorbidities.Pneumonitis)) != 0)
            {
                forbidden |= AgentSet.Of(Kb.FindAgent("trastuzumab-deruxtecan")!.Index);
            }

            Assert.All(d.Recommendations, r => Assert.False(r.Agents.Overlaps(forbidden), $"{r.Regimen.Id} contains a forbidden agent"));
        });
    }

    [Fact]
    public void No_regimen_progressed_on_is_offered_again_unless_a_statement_allows_it()
    {
        ForAllPatients((patient, edition) =>
        {
            var d = Decide(patient, edition);
            foreach (var option in d.Recommendations.Where(r => !r.Regimen.IsPlaceholder))
            {
                var failedFamilies = d.Facts.Lines.Where(l => l.EndedByProgression && l.MatchedRegimen is not null && l.MatchedRegimen.Components.All(c => c.Group is null))
                    .Select(l => l.MatchedRegimen!.Family);
                if (failedFamilies.Contains(option.Regimen.Family) && option.Regimen.Components.All(c => c.Group is null))
                {
                    Assert.Contains(option.Statements, s => s.Action.AllowsRetreatment);
                }
            }
        });
    }

    // Relapse during or within the 12-month window of an early-disease regimen (seed 000) is progression on it.
    [Fact]
    public void No_regimen_that_an_early_disease_relapse_failed_is_ranked()
    {
        var window = (int)Kb.Parameter("early-relapse-months").Value;
        ForAllEarlyRelapses((patient, edition) =>
        {
            if (patient.EarlyDisease is not { } early || patient.Presentation.MetastaticDiagnosis is not { } relapse)
            {
                return;
            }

            var failed = early.Regimens
                .Where(r => r.Stop is { } stop && relapse <= stop.AddMonths(window) && r.Agents.Overlaps(Kb.Her2Directed))
                .Select(r => r.Agents)
                .ToArray();
            var d = Decide(patient, edition);
            foreach (var option in d.Recommendations.Where(r => !r.Regimen.IsPlaceholder && r.Regimen.Components.All(c => c.Group is null)))
            {
                if (failed.Any(agents => agents == option.Agents))
                {
                    Assert.Contains(option.Statements, s => s.Action.AllowsRetreatment);
                }
            }
        });
    }

    // Labels (evidence.md): embryo-fetal toxicity (boxed warnings); ILD/pneumonitis on T-DXd and T-DM1.
    [Fact]
    public void No_critical_alert_is_ever_omitted_for_a_pregnant_patient_or_a_patient_given_a_conjugate_within_the_window_with_respiratory_symptoms()
    {
        var conjugates = Kb.FindGroup("her2-conjugate")!.Members;
        // The T-DXd label's list (evidence.md): cough, dyspnoea, fever.
        var lungSymptoms = Symptoms.PersistentCough | Symptoms.Cough | Symptoms.Dyspnoea | Symptoms.Fever;
        var windowStart = PatientGenerator.AsOf.AddMonths(-(int)Kb.Parameter("conjugate-lung-toxicity-window-months").Value);
        ForAllPatients((patient, edition) =>
        {
            var d = Decide(patient, edition);
            var critical = d.Alerts.Where(a => a.Severity == Severity.Critical).Select(a => DecisionText.Alert(a, d.Facts)).ToArray();
            if (patient.Pregnancy == PregnancyStatus.Pregnant)
            {
                Assert.Contains(critical, text => text.Contains("pregnant", StringComparison.OrdinalIgnoreCase) && text.Contains("embryo-fetal"));
            }

            var conjugateInWindow = patient.MetastaticRegimens.Any(r => r.Agents.Overlaps(conjugates) && (r.Stop is null || r.Stop >= windowStart))
                || (patient.EarlyDisease?.Regimens.Any(r => r.Agents.Overlaps(conjugates) && r.Stop >= windowStart) ?? false);
            if (conjugateInWindow && (patient.Symptoms & lungSymptoms) != 0)
            {
                Assert.Contains(critical, text => text.Contains("interstitial lung disease", StringComparison.OrdinalIgnoreCase));
            }
        });
    }

    [Fact]
    public void Every_standard_regimen_of_the_edition_is_ranked_excluded_or_explained()
    {
        ForAllPatients((patient, edition) =>
        {
            var d = Decide(patient, edition);
            if (d.Point.Kind is DecisionKind.DataNeeded or DecisionKind.OutOfScope)
            {
                Assert.Empty(d.Recommendations);
                return;
            }

            foreach (var regimen in edition.Regimens.Where(r => !r.IsPlaceholder))
            {
                var count = d.Recommendations.Count(r => r.Regimen == regimen)
                    + d.Excluded.Count(e => e.Regimen == regimen)
                    + d.NotIndicated.Count(e => e.Regimen == regimen);
                Assert.Equal(1, count);
            }
        });
    }

    [Fact]
    public void Blocking_missing_data_means_no_recommendation()
    {
        ForAllPatients((patient, edition) =>
        {
            var d = Decide(patient, edition);
            if (d.MissingData.Any(m => m.Blocking))
            {
                Assert.Equal(DecisionKind.DataNeeded, d.Point.Kind);
                Assert.Empty(d.Recommendations);
            }
        });
    }

    [Fact]
    public void Every_text_renders_without_leftover_placeholders()
    {
        ForAllPatients((patient, edition) =>
        {
            var json = DecisionJson.Serialize(Decide(patient, edition));
            Assert.DoesNotMatch(@"\{[a-z\-]+\}", json);
        });
    }

    // Seed 000: "the expert panel recommends incorporation of HER2-targeted therapy into the treatment ... in
    // first-line therapy and in second-line and later lines", except "a trial of endocrine therapy alone".
    [Fact]
    public void Every_new_line_option_contains_her2_targeted_therapy_except_endocrine_therapy_alone()
    {
        ForAllPatients((patient, edition) =>
        {
            var d = Decide(patient, edition);
            if (!d.Point.Kind.IsSwitch())
            {
                return;
            }

            Assert.All(
                d.Recommendations.Where(r => r.Regimen.Id != "endocrine-therapy-alone"),
                r => Assert.True(r.Agents.Overlaps(Kb.Her2Directed), r.Regimen.Id));
        });
    }
}
