//! Data management, profile: chart specifications as data.
//!
//! Vega-Lite v5 specs built from a [`Profile`]'s figures (never from raw
//! rows), so the page, a notebook widget and the HTML report draw the same
//! charts from the same numbers. Every value from the data is a JSON
//! string or number in `data.values`, never markup. No wasm here.

use serde_json::{json, Value};

use super::{Associations, ColumnProfile, Profile};

const SCHEMA: &str = "https://vega.github.io/schema/vega-lite/v5.json";

/// A column's chart: its histogram (numbers and dates) or its top values
/// (labels). `None` when the column has no value.
pub fn column_chart(c: &ColumnProfile) -> Option<Value> {
    if !c.histogram.is_empty() {
        let values: Vec<Value> = c.histogram.iter().map(|b| json!({"start": b.start, "end": b.end, "count": b.count})).collect();
        let time = c.kind.is_time();
        let axis = if time { json!({"title": c.name, "format": "%Y-%m-%d", "formatType": "time"}) } else { json!({"title": c.name}) };
        return Some(json!({
            "$schema": SCHEMA,
            "description": format!("histogram of {}", c.name),
            "data": {"values": values},
            "transform": if time { json!([{"calculate": "datum.start * 1000", "as": "start"}, {"calculate": "datum.end * 1000", "as": "end"}]) } else { json!([]) },
            "mark": {"type": "bar", "tooltip": true},
            "encoding": {
                "x": {"field": "start", "type": "quantitative", "bin": {"binned": true}, "axis": axis},
                "x2": {"field": "end"},
                "y": {"field": "count", "type": "quantitative", "title": "rows"}
            }
        }));
    }
    if c.top.is_empty() {
        return None;
    }
    let values: Vec<Value> = c.top.iter().map(|t| json!({"value": t.value, "count": t.count})).collect();
    Some(json!({
        "$schema": SCHEMA,
        "description": format!("most frequent values of {}", c.name),
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": true},
        "encoding": {
            "y": {"field": "value", "type": "nominal", "sort": "-x", "title": c.name},
            "x": {"field": "count", "type": "quantitative", "title": "rows"}
        }
    }))
}

/// A heatmap of pairwise associations (both triangles), one cell per pair
/// and measure; Spearman is left out (Pearson shows the same pairs).
pub fn association_heatmap(a: &Associations) -> Value {
    let mut values = Vec::new();
    for p in a.pairs.iter().filter(|p| p.measure != super::Measure::Spearman) {
        for (x, y) in [(&p.a, &p.b), (&p.b, &p.a)] {
            values.push(json!({"x": x, "y": y, "value": p.value, "measure": p.measure}));
        }
    }
    json!({
        "$schema": SCHEMA,
        "description": "associations between columns",
        "data": {"values": values},
        "mark": {"type": "rect", "tooltip": true},
        "encoding": {
            "x": {"field": "x", "type": "nominal", "sort": a.columns, "title": null},
            "y": {"field": "y", "type": "nominal", "sort": a.columns, "title": null},
            "color": {"field": "value", "type": "quantitative", "scale": {"domain": [-1, 1], "scheme": "redblue"}}
        }
    })
}

/// Every chart of a profile: `{columns: {name: spec}, associations: spec}`.
pub fn charts(p: &Profile) -> Value {
    let columns: serde_json::Map<String, Value> = p.columns.iter().filter_map(|c| Some((c.name.clone(), column_chart(c)?))).collect();
    json!({"columns": columns, "associations": association_heatmap(&p.associations)})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{parse_csv, ParseOptions};

    #[test]
    fn specs_carry_the_profile_numbers() {
        let ds = parse_csv(b"x,c\n1,a\n2,b\n3,a\n", "t.csv", &ParseOptions::default()).unwrap();
        let p = crate::profile::profile(&ds);
        let spec = column_chart(&p.columns[0]).unwrap();
        assert_eq!(spec["data"]["values"].as_array().unwrap().len(), p.columns[0].histogram.len());
        let spec = column_chart(&p.columns[1]).unwrap();
        assert_eq!(spec["data"]["values"][0], json!({"value": "a", "count": 2}));
        let all = charts(&p);
        assert!(all["columns"]["x"].is_object());
        assert!(all["associations"]["data"]["values"].is_array());
    }
}
