//! The columns each file analysis reads, guessed from a file's headers:
//! one set of guesses for the page's tools and the command line, so both
//! read a file the same way. The tools' selects and the command line's
//! flags override them.

/// The first header containing one of `words` (case-insensitive, in the
/// order of `words`) and not in `taken`.
pub fn guess_header(headers: &[String], words: &[&str], taken: &[String]) -> Option<String> {
    words.iter().find_map(|w| {
        headers
            .iter()
            .find(|h| h.to_lowercase().contains(w) && !taken.contains(h))
            .cloned()
    })
}

/// The columns of a retention file: how long each user was followed,
/// whether they churned, and their group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionGuess {
    pub duration: String,
    pub event: String,
    pub group: Option<String>,
}

/// Duration and event by their usual names (else the first two columns),
/// the group by a variant's name.
pub fn retention_columns(headers: &[String]) -> RetentionGuess {
    let duration = guess_header(
        headers,
        &["duration", "tenure", "days", "weeks", "time"],
        &[],
    )
    .or_else(|| headers.first().cloned())
    .unwrap_or_default();
    let event = guess_header(
        headers,
        &[
            "event", "churn", "status", "observed", "dead", "death", "died", "arrest",
        ],
        std::slice::from_ref(&duration),
    )
    .or_else(|| headers.iter().find(|h| **h != duration).cloned())
    .unwrap_or_default();
    let group = guess_header(
        headers,
        &["variant", "group", "arm", "treat", "sex"],
        &[duration.clone(), event.clone()],
    );
    RetentionGuess {
        duration,
        event,
        group,
    }
}

/// The columns of a file read day by day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineGuess {
    pub date: String,
    pub variant: String,
    pub metric: String,
    /// Users per row, in a file of daily aggregates.
    pub users: Option<String>,
}

/// The date and variant by their names; the metric by a conversion's or
/// revenue's name, else the last column that is not an id.
pub fn timeline_columns(headers: &[String]) -> TimelineGuess {
    let date = guess_header(headers, &["date", "time", "day", "exposed"], &[]).unwrap_or_default();
    let variant = guess_header(
        headers,
        &["variant", "group", "arm", "version"],
        std::slice::from_ref(&date),
    )
    .unwrap_or_default();
    let users = guess_header(headers, &["users"], &[date.clone(), variant.clone()]);
    let taken: Vec<String> = [Some(date.clone()), Some(variant.clone()), users.clone()]
        .into_iter()
        .flatten()
        .collect();
    let metric = guess_header(
        headers,
        &["conver", "revenue", "retention", "purchase", "click"],
        &taken,
    )
    .or_else(|| {
        headers
            .iter()
            .rev()
            .find(|c| !taken.contains(c) && !c.to_lowercase().contains("id"))
            .cloned()
    })
    .unwrap_or_default();
    TimelineGuess {
        date,
        variant,
        metric,
        users,
    }
}

/// The columns of a cohort file: the signup date, and either the date last
/// seen or a duration with a churn flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortGuess {
    pub start: String,
    pub end: Option<String>,
    pub duration: Option<String>,
    pub event: Option<String>,
    pub variant: Option<String>,
}

/// A last-seen date when there is one, else a duration and an event.
pub fn cohort_columns(headers: &[String]) -> CohortGuess {
    let start = guess_header(
        headers,
        &["signup", "start", "first", "joined", "created"],
        &[],
    )
    .or_else(|| headers.first().cloned())
    .unwrap_or_default();
    let taken = std::slice::from_ref(&start);
    let end = guess_header(headers, &["last", "end", "churn_date", "seen"], taken);
    let (duration, event) = if end.is_some() {
        (None, None)
    } else {
        (
            guess_header(headers, &["duration", "tenure", "days"], taken),
            guess_header(headers, &["event", "churned", "churn", "status"], taken),
        )
    };
    CohortGuess {
        variant: guess_header(headers, &["variant", "group", "arm", "treat"], taken),
        start,
        end,
        duration,
        event,
    }
}

/// The columns of a panel for difference in differences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelGuess {
    pub outcome: String,
    pub treated: String,
    pub unit: Option<String>,
    pub period: Option<String>,
    pub post: Option<String>,
}

/// The treated flag, period, unit and after-launch flag by their usual
/// names; the outcome by a measure's name, else the first column left.
pub fn panel_columns(headers: &[String]) -> PanelGuess {
    let treated =
        guess_header(headers, &["treat", "grant", "near", "pilot"], &[]).unwrap_or_default();
    let one = std::slice::from_ref(&treated);
    let period = guess_header(headers, &["period", "year", "week", "month", "date"], one);
    let unit = guess_header(
        headers,
        &["unit", "store", "region", "firm", "code", "id"],
        one,
    );
    let post = guess_header(headers, &["post", "after"], one);
    let taken: Vec<String> = [
        Some(treated.clone()),
        period.clone(),
        unit.clone(),
        post.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let outcome = guess_header(
        headers,
        &["outcome", "sales", "revenue", "price", "hours", "value"],
        &taken,
    )
    .or_else(|| headers.iter().find(|c| !taken.contains(c)).cloned())
    .unwrap_or_default();
    PanelGuess {
        outcome,
        treated,
        unit,
        period,
        post,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(line: &str) -> Vec<String> {
        line.split(',').map(String::from).collect()
    }

    #[test]
    fn a_header_is_guessed_once() {
        let headers = h("firm,year,grant,hrsemp");
        assert_eq!(
            guess_header(&headers, &["treat", "grant"], &[]).as_deref(),
            Some("grant")
        );
        assert_eq!(
            guess_header(&headers, &["year"], &["year".to_string()]),
            None
        );
    }

    #[test]
    fn each_analysis_finds_its_columns_by_name() {
        assert_eq!(
            retention_columns(&h("patient,sex,days,died")),
            RetentionGuess {
                duration: "days".into(),
                event: "died".into(),
                group: Some("sex".into())
            }
        );
        let rossi = retention_columns(&h("week,arrest,fin,age,race,wexp,mar,paro,prio"));
        assert_eq!(
            (rossi.duration.as_str(), rossi.event.as_str()),
            ("week", "arrest")
        );
        // No event word: the first column besides the duration.
        assert_eq!(retention_columns(&h("T,E")).event, "E");
        assert_eq!(
            retention_columns(&h("customerID,tenure,Churn,group")),
            RetentionGuess {
                duration: "tenure".into(),
                event: "Churn".into(),
                group: Some("group".into())
            }
        );
        assert_eq!(
            timeline_columns(&h("date,variant,users,conversions")),
            TimelineGuess {
                date: "date".into(),
                variant: "variant".into(),
                metric: "conversions".into(),
                users: Some("users".into())
            }
        );
        let c = cohort_columns(&h("user,signup,last_seen,arm"));
        assert_eq!(
            (
                c.start.as_str(),
                c.end.as_deref(),
                c.duration,
                c.variant.as_deref()
            ),
            ("signup", Some("last_seen"), None, Some("arm"))
        );
        let c = cohort_columns(&h("signup,days,churned"));
        assert_eq!(
            (c.end, c.duration.as_deref(), c.event.as_deref()),
            (None, Some("days"), Some("churned"))
        );
        assert_eq!(
            panel_columns(&h("fcode,year,granted,hrsemp")),
            PanelGuess {
                outcome: "hrsemp".into(),
                treated: "granted".into(),
                unit: Some("fcode".into()),
                period: Some("year".into()),
                post: None
            }
        );
        assert_eq!(
            panel_columns(&h("year,nbh,nearinc,y81,rprice,lprice")).outcome,
            "rprice"
        );
    }
}
