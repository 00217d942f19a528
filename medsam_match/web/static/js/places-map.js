// The places map (Leaflet, served from this app). Tiles come from the
// configured tile address only; without one the markers stand on a plain
// background. On a place's form a tap on the map fills in lat and lon.
(function () {
  "use strict";
  var element = document.getElementById("place-map");
  var source = document.getElementById("map-data");
  if (!element || !source || typeof L === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  L.Icon.Default.imagePath = element.getAttribute("data-images");
  var map = L.map(element, {attributionControl: Boolean(data.tiles)});
  if (data.tiles) {
    L.tileLayer(data.tiles, {maxZoom: 19, attribution: element.getAttribute("data-attribution") || ""}).addTo(map);
  }
  var points = [];
  data.places.forEach(function (place) {
    var marker = L.marker([place.lat, place.lon], {title: place.name, alt: place.name}).addTo(map);
    var link = document.createElement("a");
    link.href = place.url;
    link.textContent = place.name;
    marker.bindPopup(link);
    points.push([place.lat, place.lon]);
  });
  if (points.length > 1) {
    map.fitBounds(points, {padding: [30, 30]});
  } else if (points.length === 1) {
    map.setView(points[0], 15);
  } else {
    map.setView([element.getAttribute("data-lat") || 60.0, element.getAttribute("data-lon") || 10.0], 5);
  }
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  if (lat && lon) {
    var picked = null;
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      if (picked) { picked.setLatLng(event.latlng); } else { picked = L.marker(event.latlng).addTo(map); }
    });
  }
}());
