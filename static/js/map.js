// Leaflet maps of the registry. Markers come from our own data and appear even when the tile
// server cannot be reached; tiles are decoration.
(function () {
  "use strict";

  function baseMap(element) {
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tiles, {
      attribution: element.dataset.attribution,
      maxZoom: 18,
    }).addTo(map);
    return map;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  var single = document.getElementById("stakeholder-map");
  if (single) {
    var position = [parseFloat(single.dataset.lat), parseFloat(single.dataset.lng)];
    var small = baseMap(single).setView(position, 10);
    L.marker(position, { title: single.dataset.name, alt: single.dataset.name }).addTo(small);
  }

  var many = document.getElementById("stakeholders-map");
  if (many) {
    var map = baseMap(many).setView([46.5, 10.5], 6);
    var status = document.getElementById("map-status");
    var group = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
    fetch(many.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        data.features.forEach(function (feature) {
          var c = feature.geometry.coordinates;
          var p = feature.properties;
          var marker = L.marker([c[1], c[0]], { title: p.name, alt: p.name });
          marker.bindPopup(
            '<a href="' + p.url + '">' + escapeHtml(p.name) + "</a><br>" + escapeHtml(p.city || "")
          );
          group.addLayer(marker);
        });
        map.addLayer(group);
        many.dataset.markers = String(data.features.length);
        if (data.features.length) map.fitBounds(group.getBounds(), { maxZoom: 10, padding: [20, 20] });
      })
      .catch(function () {
        if (status) status.textContent = many.dataset.error || "";
      });
  }
})();
